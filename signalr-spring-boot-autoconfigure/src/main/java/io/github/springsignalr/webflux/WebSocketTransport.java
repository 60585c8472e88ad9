package io.github.springsignalr.webflux;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebInputException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.TransferFormat;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket transport: frames from the client go to the endpoint's handler one at a time, the
 * connection's outbound queue goes out in text or binary frames, and the socket closes with 1000.
 */
public final class WebSocketTransport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final Mono<Void> EMPTY = Mono.empty();

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServer",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketService service;

	private final int maxFramePayloadLength;

	private final @Nullable WebsocketServerSpec spec;

	/**
	 * @param maxFramePayloadLength largest WebSocket message accepted, in bytes
	 */
	public WebSocketTransport(int maxFramePayloadLength) {
		this.service = new HandshakeWebSocketService(upgradeStrategy(maxFramePayloadLength));
		this.maxFramePayloadLength = maxFramePayloadLength;
		this.spec = REACTOR_NETTY ? spec(maxFramePayloadLength).build() : null;
	}

	private static RequestUpgradeStrategy upgradeStrategy(int maxFramePayloadLength) {
		if (ClassUtils.isPresent("reactor.netty.http.server.HttpServer", WebSocketTransport.class.getClassLoader())) {
			return new ReactorNettyRequestUpgradeStrategy(() -> spec(maxFramePayloadLength));
		}
		return new HandshakeWebSocketService().getUpgradeStrategy();
	}

	/** Reactor Netty's WebSocket settings: the frame size limit; pings answered by Reactor Netty. */
	private static WebsocketServerSpec.Builder spec(int maxFramePayloadLength) {
		return WebsocketServerSpec.builder().maxFramePayloadLength(maxFramePayloadLength).handlePing(false);
	}

	Mono<Void> handle(ServerWebExchange exchange, HttpConnection connection) {
		// the upgrade and the subscription to the socket's frames must happen on the channel's event loop:
		// done from another thread (Spring Security's chain may resume on one), the first frame can be lost
		Object nativeResponse = REACTOR_NETTY ? ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse())
				: null;
		if (REACTOR_NETTY && nativeResponse instanceof HttpServerResponse netty) {
			return SignalRRequestHandler.describe(exchange)
				.publishOn(eventLoop(exchange))
				.flatMap((described) -> upgrade(exchange, netty, connection, described));
		}
		return SignalRRequestHandler.describe(exchange)
			.publishOn(eventLoop(exchange))
			.flatMap((described) -> this.service.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(exchange),
				(session) -> {
					SpringSocket socket = new SpringSocket(session);
					Channel channel = channel(exchange);
					Consumer<Runnable> output = (channel != null) ? nettyOutput(channel, connection)
							: springOutput(session, connection);
					return accept(socket, output, connection, described);
				}));
	}

	/**
	 * The upgrade done by Reactor Netty itself, with the checks of Spring's {@code HandshakeWebSocketService}:
	 * no copy of the request headers into a {@code HandshakeInfo} and no session adapter per connection.
	 */
	private Mono<Void> upgrade(ServerWebExchange exchange, HttpServerResponse netty, HttpConnection connection,
			SignalRRequestHandler.ConnectionRequestAndUser described) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		if (request.getMethod() != HttpMethod.GET) {
			return Mono.error(new MethodNotAllowedException(request.getMethod(), Set.of(HttpMethod.GET)));
		}
		if (!"WebSocket".equalsIgnoreCase(headers.getUpgrade())) {
			return Mono.error(new ServerWebInputException("Can \"Upgrade\" only to \"WebSocket\"."));
		}
		List<String> connectionHeader = headers.getConnection();
		if (!connectionHeader.contains("Upgrade") && !connectionHeader.contains("upgrade")) {
			return Mono.error(new ServerWebInputException("\"Connection\" must be \"upgrade\"."));
		}
		if (headers.getFirst("Sec-WebSocket-Key") == null) {
			return Mono.error(new ServerWebInputException("Missing \"Sec-WebSocket-Key\" header"));
		}
		Channel channel = channel(exchange);
		if (channel == null) {
			return Mono.error(new IllegalStateException("No Netty channel under " + request.getPath()));
		}
		// the response's commit actions (headers from filters, cookies) run before the upgrade, as in Spring's
		return exchange.getResponse().setComplete().then(Mono.defer(() -> netty.sendWebsocket((in, out) -> {
			NettySocket socket = new NettySocket(in, out, channel, this.maxFramePayloadLength);
			return accept(socket, nettyOutput(channel, connection), connection, described);
		}, this.spec)));
	}

	/** Attaches the upgraded socket to the connection and runs it. */
	private static Mono<Void> accept(Socket socket, Consumer<Runnable> output, HttpConnection connection,
			SignalRRequestHandler.ConnectionRequestAndUser described) {
		Runnable abort = () -> socket.close(closeStatus(connection)).subscribe(null, (ex) -> {
		});
		boolean resume = connection.state() == HttpConnection.State.RECONNECTING;
		boolean attached = resume
				? connection.reattach(TransportType.WEB_SOCKETS, described.request(), described.user(), abort)
				: connection.attach(TransportType.WEB_SOCKETS, described.request(), described.user(), abort);
		if (!attached) {
			return socket.close(CloseStatus.POLICY_VIOLATION.getCode());
		}
		Channel channel = socket.channel();
		if (channel != null) {
			connection.socket(new NettyTransportSocket(channel));
		}
		return run(socket, output, connection, resume, connection.generation());
	}

	/** The request's Netty event loop as a scheduler, or the immediate scheduler on other servers. */
	private static Scheduler eventLoop(ServerWebExchange exchange) {
		Channel channel = channel(exchange);
		if (channel != null) {
			EventLoop loop = channel.eventLoop();
			return Schedulers.fromExecutor(loop);
		}
		return Schedulers.immediate();
	}

	/** The request's Netty channel on Reactor Netty. */
	static @Nullable Channel channel(ServerWebExchange exchange) {
		if (REACTOR_NETTY) {
			Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
			if (request instanceof reactor.netty.Connection netty) {
				return netty.channel();
			}
		}
		return null;
	}

	private static int closeStatus(HttpConnection connection) {
		return ((connection.closeCause() != null) ? CloseStatus.SERVER_ERROR : CloseStatus.NORMAL).getCode();
	}

	private static Mono<Void> run(Socket socket, Consumer<Runnable> output, HttpConnection connection, boolean resume,
			int generation) {
		Session session = new Session(socket, connection, generation);
		session.start(output, resume);
		return session;
	}

	/**
	 * One WebSocket of a connection, from the upgrade to the end: the frames go to the handler one message at
	 * a time (the next frame is read when the handler is done with the last), the outbound queue goes out
	 * until it ends, then the socket closes and the connection learns how. One object instead of a chain of
	 * operators: an idle connection holds little more than this.
	 */
	private static final class Session extends Mono<Void> implements CoreSubscriber<Object>, Subscription {

		private static final AtomicIntegerFieldUpdater<Session> RUNNING = AtomicIntegerFieldUpdater
			.newUpdater(Session.class, "running");

		private final Socket socket;

		private final HttpConnection connection;

		private final ConnectionHandler handler;

		private final int generation;

		/** Reactor Netty's subscriber to this session, told when the socket is done; it closes the channel. */
		private @Nullable CoreSubscriber<? super Void> actual;

		/** The socket is done; under the lock. */
		private boolean done;

		/** The handler's work on one message (or on the connection's start); one at a time. */
		private final Step step = new Step();

		/** The input side and the output side, each 1 while it runs. */
		private volatile int running = 2;

		private volatile @Nullable Subscription frames;

		private boolean inputEnded;

		Session(Socket socket, HttpConnection connection, int generation) {
			this.socket = socket;
			this.connection = connection;
			this.handler = connection.connectionEndpoint().handler();
			this.generation = generation;
		}

		void start(Consumer<Runnable> output, boolean resume) {
			output.accept(this::outputEnded);
			// assembled here, on the event loop: the frame aggregator joins the pipeline before any frame
			Flux<?> frames = this.socket.frames();
			if (resume) {
				frames.subscribe(this);
			}
			else {
				this.step.then = () -> frames.subscribe(this);
				this.handler.onConnected(this.connection).subscribe(this.step);
			}
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			boolean done;
			synchronized (this) {
				this.actual = actual;
				done = this.done;
			}
			actual.onSubscribe(this);
			if (done) {
				actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			// nothing to emit: only completion
		}

		@Override
		public void cancel() {
			synchronized (this) {
				if (this.done) {
					return;
				}
				this.done = true;
				this.actual = null;
			}
			if (this.connection.generation() == this.generation) {
				this.connection.transportEnded(null);
			}
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.frames = subscription;
			this.step.then = this::next;
			subscription.request(1);
		}

		private void next() {
			Subscription frames = this.frames;
			if (frames != null) {
				frames.request(1);
			}
		}

		@Override
		public void onNext(Object frame) {
			byte[] data = this.socket.payload(frame);
			if (data == null) {
				next();
				return;
			}
			Mono<Void> handled;
			try {
				handled = this.handler.onReceived(this.connection, data);
				if (handled != EMPTY) {
					handled.subscribe(this.step);
				}
			}
			catch (RuntimeException | Error ex) {
				// an error (a stack overflow) would otherwise drop the socket without a Close
				failed(ex);
				return;
			}
			if (handled == EMPTY) {
				next();
			}
		}

		@Override
		public void onError(Throwable error) {
			failed(error);
		}

		@Override
		public void onComplete() {
			inputEnded();
		}

		private void failed(Throwable error) {
			Subscription frames = this.frames;
			if (frames != null) {
				frames.cancel();
			}
			logger.debug("WebSocket of connection " + this.connection.id() + " failed", error);
			if (!this.connection.statefulReconnect()) {
				// with stateful reconnect a reset socket is a lost transport, decided when it has ended
				this.connection.abort(error);
			}
			inputEnded();
		}

		private void inputEnded() {
			synchronized (this) {
				if (this.inputEnded) {
					return;
				}
				this.inputEnded = true;
			}
			if (!this.connection.statefulReconnect()) {
				this.connection.close();
			}
			ended();
		}

		private void outputEnded() {
			this.socket.close(closeStatus(this.connection)).subscribe(null, (ex) -> ended(), this::ended);
		}

		/** One side has ended; when both have, how the client closed decides the transport's fate. */
		private void ended() {
			if (RUNNING.decrementAndGet(this) != 0) {
				return;
			}
			this.socket.closeCode().subscribe(this::closed, (ex) -> closed(1006));
		}

		private void closed(int code) {
			try {
				if (this.connection.generation() != this.generation) {
					// another WebSocket took this connection over (stateful reconnect)
					return;
				}
				// a client that sent no Close frame lost its socket; the status is unreliable once we closed ours
				Channel channel = this.socket.channel();
				boolean dropped = (channel != null) ? channel.attr(NettyFrameWriter.CLIENT_CLOSED).get() == null
						: code == CloseStatus.NO_CLOSE_FRAME.getCode();
				if (dropped && !this.connection.isClosed()) {
					// the socket dropped without a close frame: a stateful client may come back
					this.connection.transportLost(null);
				}
				else {
					this.connection.transportEnded(null);
				}
			}
			finally {
				CoreSubscriber<? super Void> actual;
				synchronized (this) {
					actual = this.done ? null : this.actual;
					this.done = true;
				}
				if (actual != null) {
					actual.onComplete();
				}
			}
		}

		/** Subscribes to the handler's work on one message and reads the next frame when it is done. */
		private final class Step implements CoreSubscriber<Void> {

			private Runnable then = () -> {
			};

			@Override
			public void onSubscribe(Subscription subscription) {
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(Void value) {
			}

			@Override
			public void onError(Throwable error) {
				failed(error);
			}

			@Override
			public void onComplete() {
				this.then.run();
			}
		}
	}

	/** Sends the connection's outbound queue straight to the Reactor Netty channel. */
	private static Consumer<Runnable> nettyOutput(Channel channel, HttpConnection connection) {
		int generation = connection.generation();
		return (ended) -> NettyFrameWriter.start(channel, connection, generation, ended);
	}

	/** Sends the connection's outbound queue through Spring's session (servers other than Reactor Netty). */
	private static Consumer<Runnable> springOutput(WebSocketSession session, HttpConnection connection) {
		Flux<WebSocketMessage> frames = connection.outbound().map((data) -> {
			connection.written(data.length);
			return new WebSocketMessage((connection.transferFormat() == TransferFormat.BINARY)
					? WebSocketMessage.Type.BINARY : WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(data));
		});
		return (ended) -> session.send(frames).subscribe(null, (ex) -> ended.run(), ended);
	}

	/** An upgraded socket: its text and binary messages, its close, and the client's close status. */
	private interface Socket {

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
	}

	/** A socket upgraded by Reactor Netty. */
	private static final class NettySocket implements Socket {

		private final WebsocketInbound in;

		private final WebsocketOutbound out;

		private final Channel channel;

		private final int maxFramePayloadLength;

		NettySocket(WebsocketInbound in, WebsocketOutbound out, Channel channel, int maxFramePayloadLength) {
			this.in = in;
			this.out = out;
			this.channel = channel;
			this.maxFramePayloadLength = maxFramePayloadLength;
		}

		@Override
		public Flux<?> frames() {
			int limit = this.maxFramePayloadLength;
			this.in.withConnection((connection) -> connection.addHandlerLast(NettyPipeline.WsFrameAggregator,
					new MessageAggregator(limit)));
			return this.in.receiveFrames();
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
	 * limit, and the rest of them are dropped as they come.
	 */
	private static final class MessageAggregator extends WebSocketFrameAggregator {

		MessageAggregator(int maxContentLength) {
			super(maxContentLength);
		}

		@Override
		protected void handleOversizedMessage(ChannelHandlerContext context, WebSocketFrame oversized) {
			context.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
					"Max frame length of " + maxContentLength() + " has been exceeded."))
				.addListener(ChannelFutureListener.CLOSE);
		}
	}

	/** A socket upgraded by Spring's WebSocket service (servers other than Reactor Netty). */
	private static final class SpringSocket implements Socket {

		private final WebSocketSession session;

		SpringSocket(WebSocketSession session) {
			this.session = session;
		}

		@Override
		public Flux<?> frames() {
			return this.session.receive();
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
