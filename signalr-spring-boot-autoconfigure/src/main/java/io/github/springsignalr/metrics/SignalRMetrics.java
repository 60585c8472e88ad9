package io.github.springsignalr.metrics;

import io.github.springsignalr.TransportType;

/**
 * What the connection, hub and backplane layers report for metrics. Every method has a no-op default,
 * and {@link #NOOP} is what the layers use when no meter registry is present: the hooks on the message
 * path then cost a virtual call and allocate nothing. Implementations must keep the tags they derive
 * low-cardinality: a connection id, user, group or invocation id never reaches them.
 */
public interface SignalRMetrics {

	/** Records nothing. */
	SignalRMetrics NOOP = new SignalRMetrics() {
	};

	/**
	 * A connection got its transport.
	 * @param endpoint the name of the hub (or of the connection handler) it belongs to
	 * @return where the connection reports its end; called once per connection
	 */
	default ConnectionMetrics connectionStarted(String endpoint, TransportType transport) {
		return ConnectionMetrics.NOOP;
	}

	/**
	 * A hub connection completed its handshake.
	 * @param protocol the hub protocol's name ({@code json}, {@code messagepack})
	 * @return where the connection reports the messages it receives and sends
	 */
	default MessageMetrics messages(String hub, TransportType transport, String protocol) {
		return MessageMetrics.NOOP;
	}

	/** Whether backplane timings are wanted: the backplane skips taking them when not. */
	default boolean isBackplaneRecorded() {
		return false;
	}

	/**
	 * The backplane published a message and the broker confirmed it.
	 * @param channelType the kind of channel ({@code all}, {@code group}, ...), never its name
	 */
	default void backplanePublished(String channelType, long nanos) {
	}

	/**
	 * The backplane received a message.
	 * @param channelType the kind of channel ({@code all}, {@code group}, ...), never its name
	 */
	default void backplaneReceived(String channelType) {
	}

	/** How one connection ended, reported once when it ends. */
	interface ConnectionMetrics {

		/** Records nothing. */
		ConnectionMetrics NOOP = (status, reason) -> {
		};

		/**
		 * @param reason why the server closed it, when for one of the reasons counted
		 */
		void ended(ConnectionStatus status, @org.jspecify.annotations.Nullable CloseReason reason);

		/**
		 * The server aborted the connection's socket: its Close could not be written within the close
		 * timeout (a client that stopped reading). Reported before {@link #ended}.
		 */
		default void aborted() {
		}
	}

	/** The messages of one hub connection. */
	interface MessageMetrics {

		/** Records nothing. */
		MessageMetrics NOOP = new MessageMetrics() {
		};

		/** Messages parsed from one chunk of data the client sent. */
		default void received(int messages, int bytes) {
		}

		/** One message written to the connection. */
		default void sent(int bytes) {
		}
	}

	/** How a connection ended, as OpenTelemetry's {@code signalr.connection.status} names it. */
	enum ConnectionStatus {

		/** The client or the application closed it. */
		NORMAL_CLOSURE("normal_closure"),
		/** The client went silent, or did not come back in time after losing its transport. */
		TIMEOUT("timeout"),
		/** The application shut down. */
		APP_SHUTDOWN("app_shutdown");

		private final String tagValue;

		ConnectionStatus(String tagValue) {
			this.tagValue = tagValue;
		}

		/** The value of the {@code signalr.connection.status} tag. */
		public String tagValue() {
			return this.tagValue;
		}
	}

	/** Why the server closed a connection, for the reasons operators count. */
	enum CloseReason {

		/** The client read too slowly: its outbound buffer overflowed. */
		OVERFLOW("overflow"),
		/** The client sent nothing within the client timeout. */
		CLIENT_TIMEOUT("client_timeout"),
		/** The client sent data the hub protocol could not read (or a failed handshake). */
		PROTOCOL_ERROR("protocol_error");

		private final String tagValue;

		CloseReason(String tagValue) {
			this.tagValue = tagValue;
		}

		/** The value of the {@code signalr.close.reason} tag. */
		public String tagValue() {
			return this.tagValue;
		}
	}
}
