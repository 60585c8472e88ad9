package io.github.springsignalr;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A hub method parameter holding the state a client of the classic ASP.NET SignalR 2 protocol sent with
 * its invocation (the jQuery client's {@code proxy.state}), keys ignoring case; the values the method
 * changes go back with its result and update the client's state. The client does not send it as an
 * argument. It is empty for ASP.NET Core clients, whose protocol has no caller state, and what is put
 * into it is dropped. State is the client's data: never use it to decide what a caller may do.
 * @since 1.1
 */
public interface CallerState {

	/** The value of a key, as JSON values read into Java (strings, numbers, booleans, maps, lists); {@code null} when absent. */
	@Nullable Object get(String key);

	/** Sets a value, sent back to the client with the result when it changed. */
	void put(String key, @Nullable Object value);

	/** The whole state, read-only. */
	Map<String, @Nullable Object> asMap();
}
