package io.github.springsignalr.bench.loadgen.dialect;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * The plumbing of a dialect over one WebSocket: frames are written straight to the Netty channel (no reactive
 * pipeline per message), and read with bounded demand so that {@link #pauseReading} really stops reading from
 * the socket. Subclasses send their handshake in {@link #opened()}, parse frames in {@link #received} (on
 * the event loop) and call {@link #ready()} once the session can send.
 */
public abstract class WebSocketSession implements Dialect.Session {

	private static final int BATCH = 128;

	/** Receives the application messages of this session. */
	protected final Dialect.MessageSink sink;

	private final Sinks.One<Dialect.Session> readiness = Sinks.one();

	private final AtomicBoolean closing = new AtomicBoolean();

	private volatile @Nullable Channel channel;

	private volatile @Nullable Reader reader;

	protected WebSocketSession(Dialect.MessageSink sink) {
		this.sink = sink;
	}

	/** Opens the WebSocket at {@code uri} with {@code http} and emits {@code session} once it is ready. */
	public static Mono<Dialect.Session> connect(HttpClient http, String uri, WebSocketSession session) {
		return Mono.defer(() -> {
			http.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
				.uri(uri)
				.handle((in, out) -> {
					in.withConnection((connection) -> session.channel = connection.channel());
					session.opened();
					return Mono.<Void>create((done) -> in.aggregateFrames(1 << 20)
						.receiveFrames()
						.subscribe(session.new Reader(done)));
				})
				.subscribe(null, session::ended, () -> session.ended(null));
			return session.readiness.asMono();
		});
	}

	/** The WebSocket is open: send the protocol's handshake, or call {@link #ready()}. */
	protected abstract void opened();

	/** One text or binary frame's content arrived (on the event loop); it is released after this returns. */
	protected abstract void received(ByteBuf content, boolean text);

	/** The session can send: completes {@link #connect}. */
	protected final void ready() {
		readiness.tryEmitValue(this);
	}

	/** The protocol's handshake failed. */
	protected final void failed(Throwable error) {
		readiness.tryEmitError(error);
		Channel open = channel;
		if (open != null) {
			open.close();
		}
	}

	private void ended(@Nullable Throwable error) {
		readiness.tryEmitError(error != null ? error : new IllegalStateException("closed before the handshake"));
	}

	/** A buffer for an outbound frame. */
	protected final ByteBufAllocator alloc() {
		Channel open = channel;
		return open != null ? open.alloc() : ByteBufAllocator.DEFAULT;
	}

	/** Sends {@code content} as one text or binary frame; it is released once written. */
	protected final void send(ByteBuf content, boolean text) {
		Channel open = channel;
		if (open == null || !open.isActive()) {
			content.release();
			return;
		}
		WebSocketFrame frame = text ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content);
		open.writeAndFlush(frame, open.voidPromise());
	}

	@Override
	public void pauseReading(boolean paused) {
		Reader current = reader;
		Channel open = channel;
		if (current != null && open != null) {
			open.eventLoop().execute(() -> current.pause(paused));
		}
	}

	@Override
	public Mono<Void> close() {
		Channel open = channel;
		if (open == null || !closing.compareAndSet(false, true)) {
			return Mono.empty();
		}
		return Mono.<Void>create((done) -> {
			open.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener((written) -> open.close());
			open.closeFuture().addListener((closed) -> done.success());
		});
	}

	/** Reads frames in batches of demand, and stops asking for more while paused. */
	private final class Reader extends BaseSubscriber<WebSocketFrame> {

		private final MonoSink<Void> done;

		private int outstanding;

		private boolean paused;

		Reader(MonoSink<Void> done) {
			this.done = done;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			reader = this;
			outstanding = BATCH;
			subscription.request(BATCH);
		}

		@Override
		protected void hookOnNext(WebSocketFrame frame) {
			outstanding--;
			if (frame instanceof TextWebSocketFrame) {
				received(frame.content(), true);
			}
			else if (frame instanceof BinaryWebSocketFrame) {
				received(frame.content(), false);
			}
			if (!paused && outstanding <= BATCH / 2) {
				request(BATCH - outstanding);
				outstanding = BATCH;
			}
		}

		void pause(boolean pause) {
			paused = pause;
			if (!pause && outstanding < BATCH) {
				request(BATCH - outstanding);
				outstanding = BATCH;
			}
		}

		@Override
		protected void hookOnComplete() {
			done.success();
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			done.error(throwable);
		}
	}
}
