package io.github.springsignalr.webflux;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
import reactor.netty.http.server.HttpServerResponse;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.TransferFormat;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket transport: frames from the client go to the endpoint's handler one at a time, the
 * connection's outbound queue goes out in text or binary frames, and the socket closes with 1000.
 */
public final class WebSocketTransport {

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
			return TransportRequests.describe(exchange)
				.publishOn(eventLoop(exchange))
				.flatMap((described) -> upgrade(exchange, netty, connection, described));
		}
		return TransportRequests.describe(exchange)
			.publishOn(eventLoop(exchange))
			.flatMap((described) -> this.service.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(exchange),
				(session) -> {
					UpgradedSocket socket = new UpgradedSocket.Spring(session);
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
			TransportRequests.ConnectionRequestAndUser described) {
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
			UpgradedSocket socket = new UpgradedSocket.Netty(in, out, channel, this.maxFramePayloadLength,
					connection.route().options().closeTimeout());
			return accept(socket, nettyOutput(channel, connection), connection, described);
		}, this.spec)
			// the socket's session reads nothing from the request's context (an observation): not kept for its life
			.contextWrite((context) -> Context.empty())));
	}

	/** Attaches the upgraded socket to the connection and runs it. */
	private static Mono<Void> accept(UpgradedSocket socket, Consumer<Runnable> output, HttpConnection connection,
			TransportRequests.ConnectionRequestAndUser described) {
		ConnectionWebSocket session = new ConnectionWebSocket(socket, connection);
		boolean resume = connection.state() == HttpConnection.State.RECONNECTING;
		boolean attached = resume
				? connection.reattach(TransportType.WEB_SOCKETS, described.request(), described.user(), session.abort())
				: connection.attach(TransportType.WEB_SOCKETS, described.request(), described.user(), session.abort());
		if (!attached) {
			return socket.close(CloseStatus.POLICY_VIOLATION.getCode());
		}
		Channel channel = socket.channel();
		if (socket instanceof HttpConnection.TransportSocket transportSocket) {
			connection.socket(transportSocket);
		}
		else if (channel != null) {
			connection.socket(new NettyTransportSocket(channel));
		}
		session.generation(connection.generation());
		session.start(output, resume);
		return session;
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

	static int closeStatus(HttpConnection connection) {
		return ((connection.closeCause() != null) ? CloseStatus.SERVER_ERROR : CloseStatus.NORMAL).getCode();
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
}
