package io.github.springsignalr.connection;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.github.springsignalr.TransportType;

/**
 * Settings of the HTTP connection layer for one endpoint.
 * @param transports transports clients may use
 * @param disconnectTimeout how long a negotiated connection may wait for its transport
 * @param outboundBufferSize bytes queued for a client before the connection is closed for not reading
 * @param maxFramePayloadLength largest WebSocket frame accepted
 * @param allowStatefulReconnects whether clients may ask for stateful reconnect
 * @param closeTimeout how long a connection the server closes may take to write what is queued and its
 * Close before its socket is aborted
 */
public record ConnectionOptions(Set<TransportType> transports, Duration disconnectTimeout, long outboundBufferSize,
		int maxFramePayloadLength, boolean allowStatefulReconnects, Duration closeTimeout) {

	/** The transports of the ASP.NET Core endpoints: foreverFrame, a classic transport, is never among them. */
	public ConnectionOptions {
		if (transports.contains(TransportType.FOREVER_FRAME)) {
			Set<TransportType> modern = EnumSet.noneOf(TransportType.class);
			modern.addAll(transports);
			modern.remove(TransportType.FOREVER_FRAME);
			transports = modern;
		}
	}

	/** The close timeout of ASP.NET Core's WebSockets transport ({@code WebSocketOptions.CloseTimeout}). */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** Options with the default close timeout. */
	public ConnectionOptions(Set<TransportType> transports, Duration disconnectTimeout, long outboundBufferSize,
			int maxFramePayloadLength, boolean allowStatefulReconnects) {
		this(transports, disconnectTimeout, outboundBufferSize, maxFramePayloadLength, allowStatefulReconnects,
				DEFAULT_CLOSE_TIMEOUT);
	}

	/** Options without stateful reconnect, the reference's default. */
	public ConnectionOptions(Set<TransportType> transports, Duration disconnectTimeout, long outboundBufferSize,
			int maxFramePayloadLength) {
		this(transports, disconnectTimeout, outboundBufferSize, maxFramePayloadLength, false);
	}

	/** The reference's defaults with every transport enabled. */
	public static ConnectionOptions defaults() {
		return new ConnectionOptions(EnumSet.allOf(TransportType.class), Duration.ofSeconds(15), 1024 * 1024,
				64 * 1024);
	}

	public ConnectionOptions withTransports(Set<TransportType> transports) {
		return new ConnectionOptions(transports, this.disconnectTimeout, this.outboundBufferSize,
				this.maxFramePayloadLength, this.allowStatefulReconnects, this.closeTimeout);
	}
}
