package io.github.springsignalr.webflux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;

import io.github.springsignalr.connection.HttpConnection;

/**
 * A Netty channel as a connection's socket: its pending outbound bytes count against the connection's
 * outbound buffer, and an abort resets it (linger 0) so the unsent data is dropped, in Netty and in the
 * kernel, instead of waiting for a client that does not read.
 */
final class NettyTransportSocket implements HttpConnection.TransportSocket {

	private final Channel channel;

	NettyTransportSocket(Channel channel) {
		this.channel = channel;
	}

	@Override
	public long unsentBytes() {
		return unsentBytes(this.channel);
	}

	@Override
	public void abort() {
		abort(this.channel);
	}

	/** The pending outbound bytes of {@code channel}: a volatile read or two; 0 once it is closed. */
	static long unsentBytes(Channel channel) {
		ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	/** Resets {@code channel} on its event loop: the unsent data is dropped, in Netty and in the kernel. */
	static void abort(Channel channel) {
		channel.eventLoop().execute(() -> {
			if (channel.isOpen()) {
				// a reset: a graceful close would leave the unread data in the kernel until the peer reads it
				channel.config().setOption(ChannelOption.SO_LINGER, 0);
				channel.close();
			}
		});
	}

	@Override
	public String toString() {
		return "NettyTransportSocket[" + this.channel + "]";
	}
}
