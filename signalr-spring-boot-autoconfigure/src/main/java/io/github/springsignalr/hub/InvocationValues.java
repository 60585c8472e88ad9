package io.github.springsignalr.hub;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.Progress;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * The values of one invocation a hub method may take besides the client's arguments: its
 * {@link Progress} and its {@link CallerState}, given by the wire protocol when it has them.
 */
record InvocationValues(Progress<Object> progress, CallerState state) {

	/** The values of invocation {@code id} on the caller's connection. */
	static InvocationValues of(HubConnectionContext context, @Nullable String id) {
		HubProtocol protocol = context.protocol();
		Progress<Object> progress = (protocol instanceof InvocationProgress reporting && id != null)
				? reporting.progress(context, id) : (value) -> {
				};
		CallerState state = (protocol instanceof InvocationState states && id != null)
				? states.callerState(context, id) : new Dropped();
		return new InvocationValues(progress, state);
	}

	/** The state of a protocol without one: empty, what is put into it kept for the invocation only. */
	private static final class Dropped implements CallerState {

		private final Map<String, @Nullable Object> values = new LinkedHashMap<>();

		@Override
		public @Nullable Object get(String key) {
			return this.values.get(key);
		}

		@Override
		public void put(String key, @Nullable Object value) {
			this.values.put(key, value);
		}

		@Override
		public Map<String, @Nullable Object> asMap() {
			return Collections.unmodifiableMap(this.values);
		}
	}
}
