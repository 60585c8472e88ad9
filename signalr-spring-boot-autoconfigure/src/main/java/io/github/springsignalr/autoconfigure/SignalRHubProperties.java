package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * Hub runtime settings.
 *
 * <p>The {@code signalr.hub.*} group of {@link SignalRProperties}.
 */
public class SignalRHubProperties {

	/**
	 * Interval after which a Ping is sent to a client when nothing else was sent.
	 */
	private Duration keepAliveInterval = Duration.ofSeconds(15);

	/**
	 * Time a client may stay silent, once it has sent its first Ping, before it is disconnected.
	 */
	private Duration clientTimeoutInterval = Duration.ofSeconds(30);

	/**
	 * Time a client has to complete the handshake.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(15);

	/**
	 * Largest hub message accepted from a client.
	 */
	private DataSize maximumReceiveMessageSize = DataSize.ofKilobytes(32);

	/**
	 * Number of non-streaming invocations of one client that run at the same time.
	 */
	private int maximumParallelInvocationsPerClient = 1;

	/**
	 * Whether exception types and messages are sent to clients in error texts.
	 */
	private boolean enableDetailedErrors;

	/**
	 * Number of items buffered for each client-to-server stream.
	 */
	private int streamBufferCapacity = 10;

	/**
	 * Hub protocols clients may choose (json, messagepack); all by default.
	 */
	private List<String> supportedProtocols = new ArrayList<>();

	public List<String> getSupportedProtocols() {
		return this.supportedProtocols;
	}

	public void setSupportedProtocols(List<String> supportedProtocols) {
		this.supportedProtocols = supportedProtocols;
	}

	/**
	 * How long the server waits for a client's result of a server-to-client invocation; no limit by
	 * default, as in ASP.NET Core, where a client that never answers keeps the caller waiting until it
	 * disconnects.
	 */
	private @Nullable Duration clientResultTimeout;

	/**
	 * Bytes sent to a stateful-reconnect client and not yet acknowledged that the server keeps for a
	 * replay; further sends to that client wait for its Ack (which it sends about once a second), and
	 * a client that falls further behind than the outbound buffer size is disconnected.
	 */
	private DataSize statefulReconnectBufferSize = DataSize.ofBytes(100_000);

	public DataSize getStatefulReconnectBufferSize() {
		return this.statefulReconnectBufferSize;
	}

	public void setStatefulReconnectBufferSize(DataSize statefulReconnectBufferSize) {
		this.statefulReconnectBufferSize = statefulReconnectBufferSize;
	}

	public @Nullable Duration getClientResultTimeout() {
		return this.clientResultTimeout;
	}

	public void setClientResultTimeout(@Nullable Duration clientResultTimeout) {
		this.clientResultTimeout = clientResultTimeout;
	}

	public Duration getKeepAliveInterval() {
		return this.keepAliveInterval;
	}

	public void setKeepAliveInterval(Duration keepAliveInterval) {
		this.keepAliveInterval = keepAliveInterval;
	}

	public Duration getClientTimeoutInterval() {
		return this.clientTimeoutInterval;
	}

	public void setClientTimeoutInterval(Duration clientTimeoutInterval) {
		this.clientTimeoutInterval = clientTimeoutInterval;
	}

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	public DataSize getMaximumReceiveMessageSize() {
		return this.maximumReceiveMessageSize;
	}

	public void setMaximumReceiveMessageSize(DataSize maximumReceiveMessageSize) {
		this.maximumReceiveMessageSize = maximumReceiveMessageSize;
	}

	public int getMaximumParallelInvocationsPerClient() {
		return this.maximumParallelInvocationsPerClient;
	}

	public void setMaximumParallelInvocationsPerClient(int maximumParallelInvocationsPerClient) {
		this.maximumParallelInvocationsPerClient = maximumParallelInvocationsPerClient;
	}

	public boolean isEnableDetailedErrors() {
		return this.enableDetailedErrors;
	}

	public void setEnableDetailedErrors(boolean enableDetailedErrors) {
		this.enableDetailedErrors = enableDetailedErrors;
	}

	public int getStreamBufferCapacity() {
		return this.streamBufferCapacity;
	}

	public void setStreamBufferCapacity(int streamBufferCapacity) {
		this.streamBufferCapacity = streamBufferCapacity;
	}

}
