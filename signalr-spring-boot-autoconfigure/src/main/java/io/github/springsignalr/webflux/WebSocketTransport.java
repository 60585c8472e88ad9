package io.github.springsignalr.webflux;

import java.util.function.Supplier;

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
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket transport: frames from the client go to the endpoint's handler one at a time, the
 * connection's outbound queue goes out in text or binary frames, and the socket closes with 1000.
 */
public final class WebSocketTransport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServer",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketService service;

	/**
	 * @param maxFramePayloadLength largest WebSocket message accepted, in bytes
	 */
	public WebSocketTransport(int maxFramePayloadLength) {
		this.service = new HandshakeWebSocketService(upgradeStrategy(maxFramePayloadLength));
	}

	private static RequestUpgradeStrategy upgradeStrategy(int maxFramePayloadLength) {
		if (ClassUtils.isPresent("reactor.netty.http.server.HttpServer", WebSocketTransport.class.getClassLoader())) {
			Supplier<WebsocketServerSpec.Builder> spec = () -> WebsocketServerSpec.builder()
				.maxFramePayloadLength(maxFramePayloadLength)
				.handlePing(false);
			return new ReactorNettyRequestUpgradeStrategy(spec);
		}
		return new HandshakeWebSocketService().getUpgradeStrategy();
	}

	Mono<Void> handle(ServerWebExchange exchange, HttpConnection connection) {
		// the upgrade and the subscription to the socket's frames must happen on the channel's event loop:
		// done from another thread (Spring Security's chain may resume on one), the first frame can be lost
		return SignalRRequestHandler.describe(exchange)
			.publishOn(eventLoop(exchange))
			.flatMap((described) -> this.service.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(exchange),
				(session) -> {
					if (REACTOR_NETTY) {
						NormalClosureReply.install(exchange);
					}
					Runnable abort = () -> session.close(closeStatus(connection)).subscribe(null, (ex) -> {
					});
					boolean resume = connection.state() == HttpConnection.State.RECONNECTING;
					boolean attached = resume
							? connection.reattach(TransportType.WEB_SOCKETS, described.request(), described.user(), abort)
							: connection.attach(TransportType.WEB_SOCKETS, described.request(), described.user(), abort);
					if (!attached) {
						return session.close(CloseStatus.POLICY_VIOLATION);
					}
					return run(session, connection, resume, connection.generation(), channel(exchange));
				}));
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
	private static @Nullable Channel channel(ServerWebExchange exchange) {
		if (REACTOR_NETTY) {
			Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
			if (request instanceof reactor.netty.Connection netty) {
				return netty.channel();
			}
		}
		return null;
	}

	private static CloseStatus closeStatus(HttpConnection connection) {
		return (connection.closeCause() != null) ? CloseStatus.SERVER_ERROR : CloseStatus.NORMAL;
	}

	private Mono<Void> run(WebSocketSession session, HttpConnection connection, boolean resume, int generation,
			@Nullable Channel channel) {
		ConnectionHandler handler = connection.connectionEndpoint().handler();
		Mono<Void> output = send(session, connection, channel, generation)
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.defer(() -> session.close(closeStatus(connection))))
			.onErrorResume((ex) -> Mono.empty());
		Mono<Void> input = (resume ? Mono.<Void>empty() : handler.onConnected(connection))
			.thenMany(session.receive()
				.mapNotNull(WebSocketTransport::copy)
				.concatMap((data) -> handler.onReceived(connection, data), 1))
			.then()
			.onErrorResume((ex) -> {
				logger.debug("WebSocket of connection " + connection.id() + " failed", ex);
				if (!connection.statefulReconnect()) {
					// with stateful reconnect a reset socket is a lost transport, decided when it has ended
					connection.abort(ex);
				}
				return Mono.empty();
			})
			.doFinally((signal) -> {
				if (!connection.statefulReconnect()) {
					connection.close();
				}
			});
		return Mono.when(input, output).then(session.closeStatus().map(CloseStatus::getCode).defaultIfEmpty(1006))
			.onErrorReturn(1006)
			.doOnNext((code) -> {
				if (connection.generation() != generation) {
					// another WebSocket took this connection over (stateful reconnect)
					return;
				}
				// a client that sent no Close frame lost its socket; the status is unreliable once we closed ours
				boolean dropped = (channel != null) ? channel.attr(NormalClosureReply.CLIENT_CLOSED).get() == null
						: code == CloseStatus.NO_CLOSE_FRAME.getCode();
				if (dropped && !connection.isClosed()) {
					// the socket dropped without a close frame: a stateful client may come back
					connection.transportLost(null);
				}
				else {
					connection.transportEnded(null);
				}
			})
			.doFinally((signal) -> {
				if (signal != reactor.core.publisher.SignalType.ON_COMPLETE && connection.generation() == generation) {
					connection.transportEnded(null);
				}
			})
			.then();
	}

	/** Sends the connection's outbound queue; on Reactor Netty straight to the channel. */
	private static Mono<Void> send(WebSocketSession session, HttpConnection connection, @Nullable Channel channel,
			int generation) {
		if (channel != null) {
			return Mono.defer(() -> NettyFrameWriter.start(channel, connection, generation));
		}
		Flux<WebSocketMessage> frames = connection.outbound().map((data) -> {
			connection.written(data.length);
			return new WebSocketMessage((connection.transferFormat() == TransferFormat.BINARY)
					? WebSocketMessage.Type.BINARY : WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(data));
		});
		return session.send(frames);
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
