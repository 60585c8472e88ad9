package io.github.springsignalr.webflux;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import io.github.springsignalr.connection.HttpConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * An upgraded socket: its text and binary messages, its close, and the client's close status. On Reactor
 * Netty the inbound side joins a message's fragments up to the message size limit itself
 * ({@link MessageAggregator}, from the first fragmented message on); on other servers Spring's WebSocket
 * session hands over whole messages.
 */
interface UpgradedSocket {

	/** The socket's frames or messages, in order. */
	Flux<?> frames();

	/** The payload of a text or binary frame or message; {@code null} for any other. */
	byte @Nullable [] payload(Object frame);

	/** Closes the socket with the status code. */
	Mono<Void> close(int code);

	/** The status of the Close frame the client sent, or 1006 when it sent none. */
	Mono<Integer> closeCode();

	/** The Netty channel under the socket, when there is one. */
	@Nullable Channel channel();

	/**
	 * A socket upgraded by Reactor Netty. It is also its connection's {@link HttpConnection.TransportSocket}
	 * (one object fewer per connection).
	 */
	final class Netty implements UpgradedSocket, HttpConnection.TransportSocket {

		private final WebsocketInbound in;

		private final WebsocketOutbound out;

		private final Channel channel;

		private final int maxFramePayloadLength;

		private final Duration closeTimeout;

		Netty(WebsocketInbound in, WebsocketOutbound out, Channel channel, int maxFramePayloadLength,
				Duration closeTimeout) {
			this.in = in;
			this.out = out;
			this.channel = channel;
			this.maxFramePayloadLength = maxFramePayloadLength;
			this.closeTimeout = closeTimeout;
		}

		/**
		 * The frames as read; a message's fragments are joined by a {@link MessageAggregator} that joins the
		 * pipeline at the first fragmented message ({@link #joinFragments}): most sockets never get one.
		 */
		@Override
		public Flux<?> frames() {
			return this.in.receiveFrames();
		}

		/**
		 * Called with the context of a handler in front of Reactor Netty's bridge on the first frame of a
		 * fragmented message, before the frame goes on: puts the {@link MessageAggregator} right behind that
		 * handler (unless one joins fragments already), so that it takes this frame and the rest.
		 * @param owner what the handler was given for the socket: the socket's session, when it is one
		 */
		static void joinFragments(ChannelHandlerContext context, Object owner) {
			if (owner instanceof ConnectionWebSocket session && session.socket() instanceof Netty netty
					&& context.pipeline().get(NettyPipeline.WsFrameAggregator) == null) {
				context.pipeline().addAfter(context.name(), NettyPipeline.WsFrameAggregator,
						new MessageAggregator(netty.maxFramePayloadLength, netty.closeTimeout));
			}
		}

		@Override
		public long unsentBytes() {
			return NettyTransportSocket.unsentBytes(this.channel);
		}

		@Override
		public void abort() {
			NettyTransportSocket.abort(this.channel);
		}

		@Override
		public byte @Nullable [] payload(Object frame) {
			if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
				return null;
			}
			ByteBuf content = ((WebSocketFrame) frame).content();
			byte[] data = new byte[content.readableBytes()];
			content.getBytes(content.readerIndex(), data);
			return data;
		}

		@Override
		public Mono<Void> close(int code) {
			return this.out.sendClose(code, null);
		}

		@Override
		public Mono<Integer> closeCode() {
			return this.in.receiveCloseStatus().map(WebSocketCloseStatus::code).defaultIfEmpty(1006);
		}

		@Override
		public Channel channel() {
			return this.channel;
		}
	}

	/**
	 * Joins a message's fragments up to the limit. A message that would grow past it closes the socket with
	 * 1009 and the reason Netty gives a single frame over the limit; its fragments are never held past the
	 * limit. After that Close the socket only waits for the client's: every frame still arriving is dropped,
	 * and the connection is closed when the client's Close comes or the close timeout passes. Closing at once,
	 * with the rest of the message still arriving, would reset the connection, and a client that has not read
	 * the Close yet would lose it (and see 1006 instead of 1009).
	 */
	final class MessageAggregator extends WebSocketFrameAggregator {

		private final long closeTimeoutMillis;

		private boolean closing;

		MessageAggregator(int maxContentLength, Duration closeTimeout) {
			super(maxContentLength);
			this.closeTimeoutMillis = closeTimeout.toMillis();
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
			if (!this.closing) {
				super.channelRead(context, message);
				return;
			}
			boolean clientClosed = message instanceof CloseWebSocketFrame;
			ReferenceCountUtil.release(message);
			if (clientClosed) {
				context.close();
			}
		}

		@Override
		protected void handleOversizedMessage(ChannelHandlerContext context, WebSocketFrame oversized) {
			this.closing = true;
			context.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
					"Max frame length of " + maxContentLength() + " has been exceeded."));
			ScheduledFuture<?> timeout = context.executor()
				.schedule(() -> context.close(), this.closeTimeoutMillis, TimeUnit.MILLISECONDS);
			context.channel().closeFuture().addListener((closed) -> timeout.cancel(false));
		}
	}

	/** A socket upgraded by Spring's WebSocket service (servers other than Reactor Netty). */
	final class Spring implements UpgradedSocket {

		private final WebSocketSession session;

		private @Nullable Flux<WebSocketMessage> frames;

		Spring(WebSocketSession session) {
			this.session = session;
		}

		/** The session's messages, assembled once (on the first call: the upgraded socket's event loop). */
		@Override
		public synchronized Flux<?> frames() {
			Flux<WebSocketMessage> frames = this.frames;
			if (frames == null) {
				frames = this.session.receive();
				this.frames = frames;
			}
			return frames;
		}

		@Override
		public byte @Nullable [] payload(Object frame) {
			return copy((WebSocketMessage) frame);
		}

		@Override
		public Mono<Void> close(int code) {
			return this.session.close(new CloseStatus(code));
		}

		@Override
		public Mono<Integer> closeCode() {
			return this.session.closeStatus().map(CloseStatus::getCode).defaultIfEmpty(1006);
		}

		@Override
		public @Nullable Channel channel() {
			return null;
		}
	}

	/** The payload of a text or binary frame (one operator per connection fewer than filter + map). */
	private static byte @Nullable [] copy(WebSocketMessage message) {
		if (message.getType() != WebSocketMessage.Type.TEXT && message.getType() != WebSocketMessage.Type.BINARY) {
			return null;
		}
		DataBuffer payload = message.getPayload();
		byte[] data = new byte[payload.readableByteCount()];
		payload.read(data);
		return data;
	}
}
