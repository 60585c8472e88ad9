package io.github.springsignalr.webflux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.connection.HttpConnection;

/**
 * A Netty channel as a connection's socket: its pending outbound bytes count against the connection's
 * outbound buffer, and an abort resets it (linger 0) so the unsent data is dropped, in Netty and in the
 * kernel, instead of waiting for a client that does not read.
 */
final class NettyTransportSocket implements HttpConnection.TransportSocket {

	private final Channel channel;

	/**
	 * The channel's outbound buffer, the same for the channel's life (its pending bytes fall to 0 when the
	 * channel closes); kept here because every message sent reads it, from any thread: the channel and its
	 * unsafe are two more cold objects per recipient of a fan-out. {@code null} if the channel was closed
	 * already.
	 */
	private final @Nullable ChannelOutboundBuffer outboundBuffer;

	NettyTransportSocket(Channel channel) {
		this.channel = channel;
		this.outboundBuffer = channel.unsafe().outboundBuffer();
	}

	@Override
	public long unsentBytes() {
		// a volatile read
		ChannelOutboundBuffer buffer = this.outboundBuffer;
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	@Override
	public void abort() {
		this.channel.eventLoop().execute(() -> {
			if (this.channel.isOpen()) {
				// a reset: a graceful close would leave the unread data in the kernel until the peer reads it
				this.channel.config().setOption(ChannelOption.SO_LINGER, 0);
				this.channel.close();
			}
		});
	}

	@Override
	public String toString() {
		return "NettyTransportSocket[" + this.channel + "]";
	}
}
