package io.github.springsignalr.test;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.springsignalr.protocol.HubProtocol;
import org.jspecify.annotations.Nullable;

/**
 * A call the server made on a {@link HubTestConnection} (a {@code Clients...send} or a client-result
 * invocation): its target and arguments, read as the types a test asks for.
 */
public final class ClientCall {

	private final String target;

	private final List<@Nullable Object> arguments;

	private final HubProtocol protocol;

	ClientCall(String target, List<@Nullable Object> arguments, HubProtocol protocol) {
		this.target = target;
		this.arguments = arguments;
		this.protocol = protocol;
	}

	/** The method name the server called, as it spelled it. */
	public String target() {
		return this.target;
	}

	/** How many arguments came. */
	public int argumentCount() {
		return this.arguments.size();
	}

	/** Argument {@code index} read as {@code type} (a record, a collection, a scalar...). */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T argument(int index, Class<T> type) {
		return (T) argument(index, (Type) type);
	}

	/** Argument {@code index} read as a generic {@code type}. */
	public @Nullable Object argument(int index, Type type) {
		if (index < 0 || index >= this.arguments.size()) {
			throw new AssertionError("'" + this.target + "' came with " + this.arguments.size()
					+ " argument(s); there is no argument " + index);
		}
		return this.protocol.bind(this.arguments.get(index), type);
	}

	/**
	 * Asserts that the call came with exactly these arguments, each compared after reading it as the
	 * type of the expected value ({@code null} expects null).
	 */
	public ClientCall expectArguments(@Nullable Object... expected) {
		Object[] values = (expected != null) ? expected : new Object[] { null };
		if (values.length != this.arguments.size()) {
			throw new AssertionError("Expected '" + this.target + "' with " + values.length + " argument(s) but it came with "
					+ describeArguments());
		}
		for (int i = 0; i < values.length; i++) {
			Object actual = bindLike(this.protocol, values[i], this.arguments.get(i));
			if (!Objects.equals(values[i], actual)) {
				throw new AssertionError("Expected argument " + i + " of '" + this.target + "' to be <" + values[i]
						+ "> but was <" + actual + ">; arguments: " + describeArguments());
			}
		}
		return this;
	}

	/** The arguments as the protocol read them (JSON trees), for a message. */
	String describeArguments() {
		List<String> texts = new ArrayList<>();
		this.arguments.forEach((argument) -> texts.add(String.valueOf(argument)));
		return texts.toString();
	}

	/**
	 * {@code raw} read as the type of {@code expected} (its collection interface for collections), or
	 * {@code raw} itself when it does not fit, so that a comparison with {@code expected} fails.
	 */
	static @Nullable Object bindLike(HubProtocol protocol, @Nullable Object expected, @Nullable Object raw) {
		if (expected == null || raw == null) {
			return raw;
		}
		Class<?> type = (expected instanceof List) ? List.class : (expected instanceof java.util.Set) ? java.util.Set.class
				: (expected instanceof java.util.Map) ? java.util.Map.class : expected.getClass();
		try {
			return protocol.bind(raw, type);
		}
		catch (RuntimeException ex) {
			return raw;
		}
	}

	@Override
	public String toString() {
		return this.target + describeArguments();
	}
}
