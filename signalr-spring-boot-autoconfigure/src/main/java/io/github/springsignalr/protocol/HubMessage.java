package io.github.springsignalr.protocol;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message of the SignalR hub protocol, as described by {@code HubProtocol.md}.
 *
 * <p>Arguments, items and results read from a client hold protocol-specific raw values until the
 * hub layer binds them to the declared Java types with {@link HubProtocol#bind}; values written to a
 * client are ordinary Java objects.
 */
public sealed interface HubMessage {

	/** Message type numbers used on the wire. */
	int INVOCATION = 1;
	int STREAM_ITEM = 2;
	int COMPLETION = 3;
	int STREAM_INVOCATION = 4;
	int CANCEL_INVOCATION = 5;
	int PING = 6;
	int CLOSE = 7;
	int ACK = 8;
	int SEQUENCE = 9;

	/** The wire type number of this message. */
	int type();

	/** Message that invokes a method, with or without an expected {@link Completion}. */
	record Invocation(@Nullable String invocationId, String target, List<@Nullable Object> arguments,
			List<String> streamIds, Map<String, String> headers) implements HubMessage {
		public Invocation(@Nullable String invocationId, String target, List<@Nullable Object> arguments) {
			this(invocationId, target, arguments, List.of(), Map.of());
		}

		@Override
		public int type() {
			return INVOCATION;
		}
	}

	/** Message that invokes a streaming method. */
	record StreamInvocation(String invocationId, String target, List<@Nullable Object> arguments,
			List<String> streamIds, Map<String, String> headers) implements HubMessage {
		@Override
		public int type() {
			return STREAM_INVOCATION;
		}
	}

	/** One item of a stream. */
	record StreamItem(String invocationId, @Nullable Object item, Map<String, String> headers) implements HubMessage {
		@Override
		public int type() {
			return STREAM_ITEM;
		}
	}

	/** The end of an invocation or a stream: a result, an error, or neither. */
	record Completion(String invocationId, @Nullable Object result, @Nullable String error, boolean hasResult,
			Map<String, String> headers) implements HubMessage {

		public static Completion empty(String invocationId) {
			return new Completion(invocationId, null, null, false, Map.of());
		}

		public static Completion withResult(String invocationId, @Nullable Object result) {
			return new Completion(invocationId, result, null, true, Map.of());
		}

		public static Completion withError(String invocationId, String error) {
			return new Completion(invocationId, null, error, false, Map.of());
		}

		@Override
		public int type() {
			return COMPLETION;
		}
	}

	/** Cancels a server-to-client stream. */
	record CancelInvocation(String invocationId, Map<String, String> headers) implements HubMessage {
		@Override
		public int type() {
			return CANCEL_INVOCATION;
		}
	}

	/** Keep-alive. */
	record Ping() implements HubMessage {
		/** The only instance needed. */
		public static final Ping INSTANCE = new Ping();

		@Override
		public int type() {
			return PING;
		}
	}

	/** Ends a connection, optionally with an error and a hint that the client may reconnect. */
	record Close(@Nullable String error, boolean allowReconnect) implements HubMessage {
		/** A close without error that does not invite a reconnect. */
		public static final Close EMPTY = new Close(null, false);

		@Override
		public int type() {
			return CLOSE;
		}
	}

	/** Stateful reconnect: acknowledges messages up to a sequence id. */
	record Ack(long sequenceId) implements HubMessage {
		@Override
		public int type() {
			return ACK;
		}
	}

	/** Stateful reconnect: the sequence id of the next message. */
	record Sequence(long sequenceId) implements HubMessage {
		@Override
		public int type() {
			return SEQUENCE;
		}
	}
}
