package io.github.springsignalr.hub;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the hub runtime, with the reference's defaults.
 * @param keepAliveInterval a Ping is sent when nothing was sent for this long
 * @param clientTimeoutInterval a client silent this long after its first Ping is disconnected
 * @param handshakeTimeout time a client has to complete its handshake
 * @param maximumReceiveMessageSize largest message accepted from a client, in bytes
 * @param maximumParallelInvocationsPerClient invocations of one client that run at the same time
 * @param enableDetailedErrors whether exception types and messages are sent to clients
 * @param streamBufferCapacity items buffered per client-to-server stream
 * @param clientResultTimeout how long the server waits for a client result; {@code null} for ever
 * @param statefulReconnectBufferSize bytes sent and not yet acknowledged that a stateful-reconnect
 * connection keeps before further sends wait for the client's Ack
 */
public record HubOptions(Duration keepAliveInterval, Duration clientTimeoutInterval, Duration handshakeTimeout,
		int maximumReceiveMessageSize, int maximumParallelInvocationsPerClient, boolean enableDetailedErrors,
		int streamBufferCapacity, @Nullable Duration clientResultTimeout, long statefulReconnectBufferSize) {

	/** The reference's default stateful-reconnect buffer: 100 000 bytes. */
	public static final long DEFAULT_STATEFUL_RECONNECT_BUFFER_SIZE = 100_000;

	/** Options with the default stateful-reconnect buffer. */
	public HubOptions(Duration keepAliveInterval, Duration clientTimeoutInterval, Duration handshakeTimeout,
			int maximumReceiveMessageSize, int maximumParallelInvocationsPerClient, boolean enableDetailedErrors,
			int streamBufferCapacity, @Nullable Duration clientResultTimeout) {
		this(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize,
				maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout,
				DEFAULT_STATEFUL_RECONNECT_BUFFER_SIZE);
	}

	/** Options without a client result timeout, as the reference's defaults have none. */
	public HubOptions(Duration keepAliveInterval, Duration clientTimeoutInterval, Duration handshakeTimeout,
			int maximumReceiveMessageSize, int maximumParallelInvocationsPerClient, boolean enableDetailedErrors,
			int streamBufferCapacity) {
		this(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize,
				maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, null);
	}

	/** The reference's defaults. */
	public static HubOptions defaults() {
		return new HubOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(15), 32 * 1024, 1,
				false, 10, null);
	}

	/** These options with another {@code keepAliveInterval}. */
	public HubOptions withKeepAliveInterval(Duration keepAliveInterval) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code clientTimeoutInterval}. */
	public HubOptions withClientTimeoutInterval(Duration clientTimeoutInterval) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code handshakeTimeout}. */
	public HubOptions withHandshakeTimeout(Duration handshakeTimeout) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code maximumReceiveMessageSize}. */
	public HubOptions withMaximumReceiveMessageSize(int maximumReceiveMessageSize) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code maximumParallelInvocationsPerClient}. */
	public HubOptions withMaximumParallelInvocationsPerClient(int maximumParallelInvocationsPerClient) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code enableDetailedErrors}. */
	public HubOptions withEnableDetailedErrors(boolean enableDetailedErrors) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code streamBufferCapacity}. */
	public HubOptions withStreamBufferCapacity(int streamBufferCapacity) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code clientResultTimeout}. */
	public HubOptions withClientResultTimeout(@Nullable Duration clientResultTimeout) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}

	/** These options with another {@code statefulReconnectBufferSize}. */
	public HubOptions withStatefulReconnectBufferSize(long statefulReconnectBufferSize) {
		return new HubOptions(keepAliveInterval, clientTimeoutInterval, handshakeTimeout, maximumReceiveMessageSize, maximumParallelInvocationsPerClient, enableDetailedErrors, streamBufferCapacity, clientResultTimeout, statefulReconnectBufferSize);
	}
}
