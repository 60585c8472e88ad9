package io.github.springsignalr;

/**
 * A hub method parameter through which the method reports progress to its caller before its result,
 * e.g. {@code public String work(int steps, Progress<Integer> progress)}. The client does not send it:
 * it is not counted among the arguments. Clients of the classic ASP.NET SignalR 2 protocol receive each
 * report (the jQuery client as {@code deferred.progress(value)}); the ASP.NET Core protocol has no
 * progress messages, so its clients receive none.
 * @param <T> the type of the values reported
 * @since 1.1
 */
@FunctionalInterface
public interface Progress<T> {

	/**
	 * Sends a value to the caller.
	 * @throws IllegalStateException when the invocation has already completed
	 */
	void report(T value);
}
