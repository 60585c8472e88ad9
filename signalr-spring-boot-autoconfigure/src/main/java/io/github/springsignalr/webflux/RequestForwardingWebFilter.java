package io.github.springsignalr.webflux;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.ConnectionProvider;

import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.cluster.RequestForwarding;

/**
 * Serves the transport requests of connections owned by another node by forwarding them to the owner,
 * so that a load balancer without affinity (plain round robin) works for every transport.
 *
 * <p>A transport request is a {@code GET}, {@code POST} or {@code DELETE} on an endpoint's path with an
 * {@code id} query parameter, an authentication refresh ({@code POST {path}/refresh} with the token in
 * {@code id} or the {@code X-SignalR-Connection-Token} header), or one of the classic ASP.NET SignalR 2 endpoint's requests after negotiate
 * ({@code /connect}, {@code /poll}, {@code /send}...) with a {@code connectionToken}. Connection tokens
 * are {@code <nodeId>.<random>} (classic ones {@code <nodeId>.<signed id>}); when the node id is not
 * this node's, the request is forwarded to the owner's advertised base URL (from the
 * {@link NodeDirectory}) with its path, query and end-to-end headers, {@code Host},
 * {@code Authorization} and cookies included: the owner authorizes it as if it had received it.
 * Hop-by-hop headers are dropped, and {@value #FORWARDED_BY} (this node's id) marks the request so
 * that it is never forwarded again; the owner serves a marked request locally. Negotiate is never
 * forwarded: the node that receives it owns the new connection.
 * <ul>
 * <li>HTTP (SSE stream, long poll, POST of client data, DELETE): a direct HTTP call to the owner
 * (Reactor Netty); the request body streams to the owner, and the owner's status, headers and body
 * stream back, each chunk flushed as it comes, so SSE events and poll responses are not held.</li>
 * <li>WebSocket: this node first opens a WebSocket to the owner; if the owner refuses the handshake its
 * status is returned (404 {@code No Connection with that ID} for an unknown token), else this node
 * accepts the client's upgrade and relays text and binary messages both ways; a close on either side
 * closes the other with the same status.</li>
 * </ul>
 * When the owner is unknown (never registered, or its registration expired) or cannot be reached, the
 * answer is the reference's 404 {@code No Connection with that ID}. When the owner cannot be looked up
 * (the directory fails, as while Redis is away, or does not answer within its short bound) the answer
 * is 503 at once, and the client may try again. The owner sees this node as the
 * remote address of the request.
 *
 * <p>It runs before Spring Security's filter chain, and {@code OPTIONS} (CORS preflight) is served
 * locally.
 */
public final class RequestForwardingWebFilter implements WebFilter, Ordered, AutoCloseable {

	/** The header that marks a forwarded request; its value is the forwarding node's id. */
	public static final String FORWARDED_BY = RequestForwarding.FORWARDED_BY;

	/** Before Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

	private static final Log logger = LogFactory.getLog(RequestForwardingWebFilter.class);

	private static final String NOT_FOUND = RequestForwarding.NOT_FOUND;

	private static final String UNAVAILABLE = RequestForwarding.UNAVAILABLE;

	private final NodeDirectory directory;

	private final RequestForwarding forwarding;

	private final ConnectionProvider connectionProvider;

	private final WebClient webClient;

	private final ReactorNettyWebSocketClient webSocketClient;

	private final WebSocketService webSocketService;

	private final AtomicLong forwarded = new AtomicLong();

	/**
	 * @param transportPath whether a path (within the application) is that of an endpoint's transports
	 * @param maxFramePayloadLength largest WebSocket message relayed, in bytes
	 */
	public RequestForwardingWebFilter(NodeDirectory directory, Predicate<String> transportPath,
			int maxFramePayloadLength) {
		this.directory = directory;
		this.forwarding = new RequestForwarding(directory, transportPath);
		this.connectionProvider = ConnectionProvider.builder("signalr-forwarding")
			.maxConnections(10_000)
			.pendingAcquireTimeout(Duration.ofSeconds(10))
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		HttpClient http = HttpClient.create(this.connectionProvider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		this.webSocketClient = new ReactorNettyWebSocketClient(HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000),
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(maxFramePayloadLength));
		this.webSocketService = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFramePayloadLength)));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** How many requests this node has forwarded to other nodes. */
	public long forwardedCount() {
		return this.forwarded.get();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String owner = foreignOwner(exchange.getRequest());
		if (owner == null) {
			return chain.filter(exchange);
		}
		return this.directory.locate(owner)
			.map(Lookup::found)
			.defaultIfEmpty(Lookup.UNKNOWN)
			.onErrorResume((ex) -> {
				// the owner cannot be looked up (the directory is unreachable or slow): no waiting
				logger.debug("Could not look node " + owner + " up; " + logged(exchange.getRequest())
						+ " not forwarded", ex);
				return Mono.just(Lookup.FAILED);
			})
			.flatMap((lookup) -> {
				URI base = lookup.base();
				if (base == null) {
					if (lookup.failed()) {
						return unavailable(exchange);
					}
					logger.debug("Node " + owner + " is unknown; " + logged(exchange.getRequest())
							+ " not forwarded");
					return notFound(exchange);
				}
				this.forwarded.incrementAndGet();
				return isUpgrade(exchange.getRequest()) ? forwardWebSocket(exchange, base)
						: forwardHttp(exchange, base);
			});
	}

	/** Where the owner of a connection is: its base URL, unknown, or not known now (lookup failed). */
	private record Lookup(@Nullable URI base, boolean failed) {

		static final Lookup UNKNOWN = new Lookup(null, false);

		static final Lookup FAILED = new Lookup(null, true);

		static Lookup found(URI base) {
			return new Lookup(base, false);
		}

	}

	/** The node owning the connection of a transport request, when it is not this node. */
	private @Nullable String foreignOwner(ServerHttpRequest request) {
		HttpMethod method = request.getMethod();
		return this.forwarding.foreignOwner(method.name(), request.getPath().pathWithinApplication().value(),
				request.getQueryParams().getFirst("id"), request.getHeaders().getFirst(RequestForwarding.CONNECTION_TOKEN_HEADER),
				request.getQueryParams().getFirst("connectionToken"), request.getHeaders().containsHeader(FORWARDED_BY));
	}

	private static boolean isUpgrade(ServerHttpRequest request) {
		return request.getMethod() == HttpMethod.GET
				&& "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
	}

	private static URI target(URI base, ServerHttpRequest request, boolean webSocket) {
		String scheme = base.getScheme();
		if (webSocket) {
			scheme = "https".equalsIgnoreCase(scheme) ? "wss" : "ws";
		}
		URI uri = request.getURI();
		String query = uri.getRawQuery();
		return URI.create(scheme + "://" + base.getRawAuthority() + uri.getRawPath()
				+ ((query != null) ? "?" + query : ""));
	}

	private HttpHeaders forwardedHeaders(ServerHttpRequest request, boolean webSocket) {
		HttpHeaders headers = new HttpHeaders();
		request.getHeaders().forEach((name, values) -> {
			if (RequestForwarding.forwards(name, webSocket)) {
				headers.addAll(name, values);
			}
		});
		headers.set(FORWARDED_BY, this.directory.localNodeId());
		return headers;
	}

	private Mono<Void> forwardHttp(ServerWebExchange exchange, URI base) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = forwardedHeaders(request, false);
		boolean hasBody = request.getHeaders().getContentLength() > 0
				|| request.getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING);
		WebClient.RequestBodySpec call = this.webClient.method(request.getMethod())
			.uri(target(base, request, false))
			.headers((h) -> h.putAll(headers));
		WebClient.RequestHeadersSpec<?> ready = hasBody ? call.body(BodyInserters.fromDataBuffers(request.getBody()))
				: call;
		return ready.exchangeToMono((answer) -> {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(answer.statusCode());
			answer.headers().asHttpHeaders().forEach((name, values) -> {
				if (RequestForwarding.forwards(name, false)) {
					response.getHeaders().put(name, values);
				}
			});
			return response.writeAndFlushWith(answer.bodyToFlux(DataBuffer.class).map(Mono::just));
		}).onErrorResume((ex) -> {
			if (exchange.getResponse().isCommitted()) {
				logger.debug("Forwarding " + logged(request) + " to " + base + " ended with an error", ex);
				return Mono.empty();
			}
			logger.debug("Could not forward " + logged(request) + " to " + base, ex);
			return notFound(exchange);
		});
	}

	private Mono<Void> forwardWebSocket(ServerWebExchange exchange, URI base) {
		ServerHttpRequest request = exchange.getRequest();
		return this.webSocketClient
			.execute(target(base, request, true), forwardedHeaders(request, true),
					(owner) -> {
						// subscribe to the owner's frames now, on its connection's event loop (later, from
						// another thread, the first frame can be lost); they wait here for the client's side
						Sinks.Many<Frame> fromOwner = Sinks.many().unicast().onBackpressureBuffer();
						owner.receive()
							.filter(RequestForwardingWebFilter::isData)
							.map(Frame::of)
							.subscribe(fromOwner::tryEmitNext, (ex) -> fromOwner.tryEmitComplete(),
									fromOwner::tryEmitComplete);
						// the upgrade completes before the relay ends: the owner's socket stays open until it does
						Sinks.Empty<Void> relayed = Sinks.empty();
						// the client's upgrade happens on the client's own event loop, for the same reason
						return Mono.defer(() -> this.webSocketService
							.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(exchange),
									(client) -> relay(client, owner, fromOwner.asFlux())
								.doFinally((signal) -> relayed.tryEmitEmpty())))
							.subscribeOn(eventLoop(exchange))
							.then(relayed.asMono());
					})
			.onErrorResume((ex) -> {
				if (exchange.getResponse().isCommitted()) {
					logger.debug("Relaying the WebSocket of " + logged(request) + " ended with an error", ex);
					return Mono.empty();
				}
				if (ex instanceof WebSocketClientHandshakeException refused
						&& refused.response().status().code() != HttpStatus.NOT_FOUND.value()) {
					ServerHttpResponse response = exchange.getResponse();
					response.setStatusCode(HttpStatus.valueOf(refused.response().status().code()));
					String challenge = refused.response().headers().get(HttpHeaders.WWW_AUTHENTICATE);
					if (challenge != null) {
						response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
					}
					response.getHeaders().setContentLength(0);
					return response.setComplete();
				}
				logger.debug("Could not forward the WebSocket of " + logged(request) + " to " + base, ex);
				return notFound(exchange);
			});
	}

	/** Relays text and binary messages both ways; a close on one side closes the other alike. */
	private static Mono<Void> relay(WebSocketSession client, WebSocketSession owner, Flux<Frame> fromOwner) {
		Mono<Void> up = owner.send(client.receive().filter(RequestForwardingWebFilter::isData)
			.map((message) -> copy(message, owner)))
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.defer(() -> closeLike(client, owner)));
		Mono<Void> down = client.send(fromOwner.map((frame) -> frame.toMessage(client)))
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.defer(() -> closeLike(owner, client)));
		return Mono.when(up, down);
	}

	/** A message of the owner's, copied out of its buffer. */
	private record Frame(WebSocketMessage.Type type, byte[] data) {

		static Frame of(WebSocketMessage message) {
			DataBuffer payload = message.getPayload();
			byte[] data = new byte[payload.readableByteCount()];
			payload.read(data);
			return new Frame(message.getType(), data);
		}

		WebSocketMessage toMessage(WebSocketSession target) {
			return new WebSocketMessage(this.type, target.bufferFactory().wrap(this.data));
		}
	}

	/** The request's Netty event loop as a scheduler, or the immediate scheduler on other servers. */
	private static reactor.core.scheduler.Scheduler eventLoop(ServerWebExchange exchange) {
		Object request = org.springframework.http.server.reactive.ServerHttpRequestDecorator
			.getNativeRequest(exchange.getRequest());
		if (request instanceof reactor.netty.Connection netty) {
			return reactor.core.scheduler.Schedulers.fromExecutor(netty.channel().eventLoop());
		}
		return reactor.core.scheduler.Schedulers.immediate();
	}

	private static boolean isData(WebSocketMessage message) {
		return message.getType() == WebSocketMessage.Type.TEXT || message.getType() == WebSocketMessage.Type.BINARY;
	}

	private static WebSocketMessage copy(WebSocketMessage message, WebSocketSession target) {
		DataBuffer payload = message.getPayload();
		byte[] data = new byte[payload.readableByteCount()];
		payload.read(data);
		return new WebSocketMessage(message.getType(), target.bufferFactory().wrap(data));
	}

	/** Closes {@code target} with the status {@code closed} was closed with. */
	private static Mono<Void> closeLike(WebSocketSession closed, WebSocketSession target) {
		if (!target.isOpen()) {
			return Mono.empty();
		}
		return closed.closeStatus()
			.timeout(Duration.ofSeconds(1), Mono.empty())
			.defaultIfEmpty(CloseStatus.NO_STATUS_CODE)
			.map((status) -> switch (status.getCode()) {
				case 1005 -> CloseStatus.NORMAL;
				case 1006, 1015 -> CloseStatus.SERVER_ERROR;
				default -> status;
			})
			.flatMap(target::close)
			.onErrorResume((ex) -> Mono.empty());
	}

	private static Mono<Void> unavailable(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		byte[] body = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private static Mono<Void> notFound(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.NOT_FOUND);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		byte[] body = NOT_FOUND.getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/** Releases the connections to other nodes. */
	@Override
	public void close() {
		this.connectionProvider.disposeLater().block(Duration.ofSeconds(5));
	}


	/** The request's URI for a log line: its bearer and connection tokens redacted. */
	private static URI logged(ServerHttpRequest request) {
		return SecretRedactingHttpHandlerDecorator.redact(request.getURI());
	}
}
