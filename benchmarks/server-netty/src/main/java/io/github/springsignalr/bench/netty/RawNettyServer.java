package io.github.springsignalr.bench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The raw Reactor Netty servers: the benchmark hub's work ({@link RawHub}) with the least machinery and the
 * best write path Netty allows ({@link Fanout}). WebSockets at {@code /raw}: one text frame per message, each
 * frame read by a channel handler ahead of Reactor Netty's bridge, replies flushed once per read. The HTTP
 * transports ({@link RawHttpTransports}): Server-Sent Events at {@code /raw-sse}, long polling at
 * {@code /raw-poll}.
 *
 * <p>Like our server's 1 MB outbound buffer, a WebSocket with more than 1 MB of unsent frames is closed.
 * Usage: {@code java -jar server-netty.jar [port]}; prints {@code READY <port>} once listening.
 */
public final class RawNettyServer {

	static final int OUTBOUND_LIMIT = 1024 * 1024;

	private final RawHub webSockets = new RawHub("", "");

	private RawNettyServer() {
	}

	public static void main(String[] args) {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("port", 0);
		RawNettyServer server = new RawNettyServer();
		RawHttpTransports http = new RawHttpTransports();
		DisposableServer bound = HttpServer.create()
			.host("0.0.0.0")
			.port(port)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(OUTBOUND_LIMIT / 2, OUTBOUND_LIMIT))
			.route((routes) -> {
				routes.ws("/raw", server::handle, WebsocketServerSpec.builder().maxFramePayloadLength(65536).build());
				http.register(routes);
			})
			.bindNow();
		System.out.println("READY " + bound.port());
		bound.onDispose().block();
	}

	private Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
		in.withConnection((connection) -> {
			Channel channel = connection.channel();
			WebSocketPeer peer = new WebSocketPeer(channel, this.webSockets);
			this.webSockets.add(peer);
			channel.closeFuture().addListener((future) -> this.webSockets.remove(peer));
			channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, "bench.raw", new Reader(peer));
		});
		// text frames never get here (the peer takes them); close frames end it
		return in.receiveFrames().then();
	}

	/** One WebSocket: reads the hub's messages from text frames and writes replies as text frames. */
	private static final class WebSocketPeer extends Peer {

		private final Channel channel;

		private final RawHub hub;

		private byte[] scratch = new byte[256];

		WebSocketPeer(Channel channel, RawHub hub) {
			super(Fanout.inbox(channel.eventLoop()));
			this.channel = channel;
			this.hub = hub;
		}

		@Override
		void write(ByteBuf message) {
			if (!this.channel.isWritable()) {
				message.release();
				this.channel.close();
				return;
			}
			this.channel.write(new TextWebSocketFrame(message), this.channel.voidPromise());
		}

		@Override
		void flush() {
			this.channel.flush();
		}

		void read(ByteBuf content) {
			int length = content.readableBytes();
			if (this.scratch.length < length) {
				this.scratch = new byte[Math.max(length, this.scratch.length * 2)];
			}
			content.getBytes(content.readerIndex(), this.scratch, 0, length);
			this.hub.receive(this, this.scratch, 0, length);
		}
	}

	/**
	 * A WebSocket's handler ahead of Reactor Netty's bridge: hands text frames to the hub and, once the read
	 * is complete, flushes everything the read wrote on this loop.
	 */
	private static final class Reader extends ChannelInboundHandlerAdapter {

		private final WebSocketPeer peer;

		Reader(WebSocketPeer peer) {
			this.peer = peer;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof TextWebSocketFrame frame) {
				try {
					this.peer.read(frame.content());
				}
				finally {
					frame.release();
				}
				return;
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			Fanout.flush();
			ctx.fireChannelReadComplete();
		}
	}
}
