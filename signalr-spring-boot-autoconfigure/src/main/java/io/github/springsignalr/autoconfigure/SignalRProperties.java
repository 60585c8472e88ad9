package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.github.springsignalr.TransportType;

/**
 * Configuration of SignalR endpoints ({@code signalr.*}). Every default is the one ASP.NET Core
 * SignalR ships with.
 */
@ConfigurationProperties("signalr")
public class SignalRProperties {

	/**
	 * Transports clients may use; negotiate lists only these.
	 */
	private Set<TransportType> transports = EnumSet.allOf(TransportType.class);

	/**
	 * How long a negotiated connection may wait for its transport (and a long-polling connection for its
	 * next poll) before it is removed.
	 */
	private Duration disconnectTimeout = Duration.ofSeconds(15);

	/**
	 * Bytes queued for one client before its connection is closed for not reading.
	 */
	private DataSize outboundBufferSize = DataSize.ofMegabytes(1);

	/**
	 * Whether clients may use stateful reconnect (ASP.NET Core 8): a dropped WebSocket comes back within
	 * the disconnect timeout with no message lost or duplicated.
	 */
	private boolean allowStatefulReconnects;

	private final Hub hub = new Hub();

	private final WebSocket websocket = new WebSocket();

	private final LongPolling longPolling = new LongPolling();

	public Set<TransportType> getTransports() {
		return this.transports;
	}

	public void setTransports(Set<TransportType> transports) {
		this.transports = transports;
	}

	public Duration getDisconnectTimeout() {
		return this.disconnectTimeout;
	}

	public void setDisconnectTimeout(Duration disconnectTimeout) {
		this.disconnectTimeout = disconnectTimeout;
	}

	public DataSize getOutboundBufferSize() {
		return this.outboundBufferSize;
	}

	public void setOutboundBufferSize(DataSize outboundBufferSize) {
		this.outboundBufferSize = outboundBufferSize;
	}

	public boolean isAllowStatefulReconnects() {
		return this.allowStatefulReconnects;
	}

	public void setAllowStatefulReconnects(boolean allowStatefulReconnects) {
		this.allowStatefulReconnects = allowStatefulReconnects;
	}

	public Hub getHub() {
		return this.hub;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public LongPolling getLongPolling() {
		return this.longPolling;
	}

	/**
	 * Hub runtime settings.
	 */
	public static class Hub {

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
		 * How long the server waits for a client's result of a server-to-client invocation; no limit by
		 * default, as in ASP.NET Core, where a client that never answers keeps the caller waiting until it
		 * disconnects.
		 */
		private @Nullable Duration clientResultTimeout;

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

	/**
	 * WebSocket transport settings.
	 */
	public static class WebSocket {

		/**
		 * Largest WebSocket message accepted from a client; a frame may carry several hub messages.
		 */
		private DataSize maxFrameSize = DataSize.ofMegabytes(1);

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

	}

	/**
	 * Long-polling transport settings.
	 */
	public static class LongPolling {

		/**
		 * How long a poll is held open when there is nothing to send.
		 */
		private Duration pollTimeout = Duration.ofSeconds(90);

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

	}

}
