package io.github.springsignalr.webflux;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.DisconnectedClientHelper;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.NegotiateResponse;
import reactor.core.publisher.Mono;

import static io.github.springsignalr.webflux.TransportRequests.acceptsEventStream;
import static io.github.springsignalr.webflux.TransportRequests.authenticatedUser;
import static io.github.springsignalr.webflux.TransportRequests.queryParam;
import static io.github.springsignalr.webflux.TransportRequests.respond;

/**
 * Serves negotiate and dispatches transport requests to the transport they ask for, with the status
 * codes and texts of the reference's {@code HttpConnectionDispatcher}.
 */
public final class SignalRRequestHandler {

	private final ConnectionManager connections;

	private final WebSocketTransport webSockets;

	private final ServerSentEventsTransport serverSentEvents = new ServerSentEventsTransport();

	private final LongPollingTransport longPolling;

	private final ClientDataPosts posts;

	/**
	 * @param pollTimeout how long a long poll is held without data
	 * @param maxPostSize largest body accepted in one POST of client data
	 */
	public SignalRRequestHandler(ConnectionManager connections, WebSocketTransport webSockets, Duration pollTimeout,
			int maxPostSize) {
		this.connections = connections;
		this.webSockets = webSockets;
		this.longPolling = new LongPollingTransport(pollTimeout);
		this.posts = new ClientDataPosts(maxPostSize);
		this.refresh = AuthenticationRefreshEndpoint.disabled(connections);
	}

	private RouteAuthorizer authorizer = RouteAuthorizer.PERMIT_ALL;

	private AuthenticationRefreshEndpoint refresh;

	private @Nullable CorsConfiguration cors;

	private int maximumConnections = Integer.MAX_VALUE;

	private final AtomicLong lastRefusalWarning = new AtomicLong(System.nanoTime() - REFUSAL_WARNING_INTERVAL);

	/** Sets how many connections this node holds at most; past it new ones are refused with 503. */
	public void setMaximumConnections(int maximumConnections) {
		this.maximumConnections = maximumConnections;
	}

	/** How many connections this node holds at most ({@link Integer#MAX_VALUE}: no limit). */
	public int maximumConnections() {
		return this.maximumConnections;
	}

	/**
	 * Sets the allowed origins, also checked on WebSocket upgrades and Server-Sent Events streams;
	 * without them those two accept cookies from the request's own origin only.
	 */
	public void setCors(@Nullable CorsConfiguration cors) {
		this.cors = cors;
	}

	/** Sets who may reach which endpoint; everyone by default. */
	public void setAuthorizer(RouteAuthorizer authorizer) {
		this.authorizer = authorizer;
	}

	/**
	 * Enables ASP.NET Core 11's authentication refresh on some endpoints: negotiate reports the lifetime
	 * of the caller's credentials and {@code {path}/refresh} replaces an open connection's principal.
	 * @param enabled the endpoints with refresh
	 * @param expiration when a principal's credentials expire ({@code null}: never or unknown)
	 * @param policy what the application says to each refresh
	 */
	public void setAuthenticationRefresh(Predicate<ConnectionRoute> enabled,
			Function<Principal, @Nullable Instant> expiration, AuthenticationRefreshPolicy policy) {
		this.refresh = new AuthenticationRefreshEndpoint(this.connections, enabled, expiration, policy);
	}

	/** The POSTs of client data. */
	ClientDataPosts posts() {
		return this.posts;
	}

	/** The long-polling transport. */
	LongPollingTransport longPolling() {
		return this.longPolling;
	}

	/** Whether allowed origins are configured (the handler mapping then processes CORS on every request). */
	boolean corsConfigured() {
		return this.cors != null;
	}

	/** Whether every request may reach the endpoint, whoever sends it. */
	boolean permitsAll(ConnectionRoute endpoint) {
		return this.authorizer.permitsAll(endpoint);
	}

	/** Whether {@code {path}/refresh} is served for the endpoint. */
	boolean authenticationRefresh(ConnectionRoute endpoint) {
		return this.refresh.enabled(endpoint);
	}

	WebHandler negotiate(ConnectionRoute endpoint) {
		return (exchange) -> authorized(exchange, endpoint, () -> authenticatedUser(exchange)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((user) -> negotiate(exchange, endpoint, user.orElse(null))));
	}

	WebHandler refresh(ConnectionRoute endpoint) {
		return (exchange) -> authorized(exchange, endpoint, () -> this.refresh.handle(exchange, endpoint));
	}

	WebHandler transport(ConnectionRoute endpoint) {
		// a POST whose client went away (or was cut by a read timeout) mid-body has no one to answer
		return (exchange) -> authorized(exchange, endpoint, () -> userName(exchange)
			.flatMap((user) -> transport(exchange, endpoint, user.orElse(null))))
			.onErrorResume(DisconnectedClientHelper::isClientDisconnectedException, (ex) -> Mono.empty());
	}

	private Mono<Void> authorized(ServerWebExchange exchange, ConnectionRoute endpoint,
			java.util.function.Supplier<Mono<Void>> proceed) {
		return this.authorizer.authorize(exchange, endpoint)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((refusal) -> {
				if (refusal.isEmpty()) {
					return proceed.get();
				}
				if (refusal.get() == HttpStatus.UNAUTHORIZED) {
					exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				}
				exchange.getResponse().setStatusCode(refusal.get());
				exchange.getResponse().getHeaders().setContentLength(0);
				return exchange.getResponse().setComplete();
			});
	}

	private static Mono<Optional<String>> userName(ServerWebExchange exchange) {
		return authenticatedUser(exchange).map((user) -> Optional.ofNullable(user.getName()))
			.defaultIfEmpty(Optional.empty());
	}

	private Mono<Void> negotiate(ServerWebExchange exchange, ConnectionRoute endpoint, @Nullable Principal user) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		if (this.connections.isShuttingDown()) {
			// the client (its automatic reconnect) tries again, through the load balancer to another node
			return respond(exchange, HttpStatus.SERVICE_UNAVAILABLE, MediaType.TEXT_PLAIN, "Server is shutting down.");
		}
		if (atMaximumConnections()) {
			return tooManyConnections(exchange);
		}
		String version = queryParam(request, "negotiateVersion");
		int negotiateVersion = 0;
		if (version != null) {
			try {
				negotiateVersion = Integer.parseInt(version.trim());
			}
			catch (NumberFormatException ex) {
				return negotiateError(exchange, "The client requested a non-integer protocol version.");
			}
			if (negotiateVersion < 0) {
				return negotiateError(exchange, "The client requested version '" + negotiateVersion
						+ "', but the server does not support this version.");
			}
			negotiateVersion = Math.min(negotiateVersion, 1);
		}
		HttpConnection connection = this.connections.create(endpoint, negotiateVersion);
		connection.owner((user != null) ? user.getName() : null);
		boolean stateful = endpoint.options().allowStatefulReconnects()
				&& "true".equalsIgnoreCase(queryParam(request, "useStatefulReconnect"));
		connection.statefulReconnect(stateful);
		return respond(exchange, HttpStatus.OK, MediaType.APPLICATION_JSON,
				NegotiateResponse.of(connection, negotiateVersion, stateful, endpoint.options(),
						this.refresh.tokenLifetimeSeconds(endpoint, user)));
	}

	private Mono<Void> negotiateError(ServerWebExchange exchange, String error) {
		return respond(exchange, HttpStatus.OK, MediaType.APPLICATION_JSON, NegotiateResponse.error(error));
	}

	private Mono<Void> transport(ServerWebExchange exchange, ConnectionRoute endpoint, @Nullable String user) {
		ServerHttpRequest request = exchange.getRequest();
		HttpMethod method = request.getMethod();
		boolean upgrade = method == HttpMethod.GET
				&& "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
		String token = request.getQueryParams().getFirst("id");
		boolean stream = upgrade || (method == HttpMethod.GET && acceptsEventStream(request));
		if (stream && !originAllowed(request)) {
			return respond(exchange, HttpStatus.FORBIDDEN, MediaType.TEXT_PLAIN, "");
		}
		if (upgrade && token == null) {
			// skip negotiation: the connection is created on the fly
			if (!endpoint.options().transports().contains(TransportType.WEB_SOCKETS)) {
				return notSupported(exchange, TransportType.WEB_SOCKETS);
			}
			if (atMaximumConnections()) {
				return tooManyConnections(exchange);
			}
			return this.webSockets.handle(exchange, this.connections.create(endpoint, 1));
		}
		if (method != HttpMethod.GET && method != HttpMethod.POST && method != HttpMethod.DELETE) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		if (token == null) {
			return respond(exchange, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Connection ID required");
		}
		HttpConnection connection = this.connections.get(token);
		if (connection == null || connection.route() != endpoint
				|| !Objects.equals(connection.owner(), user)) {
			// a token presented by anyone but the user who negotiated it is as good as unknown
			return respond(exchange, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN, "No Connection with that ID");
		}
		TransportType current = connection.transportOrNull();
		if (method == HttpMethod.POST) {
			if (current == TransportType.WEB_SOCKETS) {
				return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN,
						"POST requests are not allowed for WebSocket connections.");
			}
			return this.posts.receive(exchange, connection);
		}
		if (method == HttpMethod.DELETE) {
			if (current != TransportType.LONG_POLLING) {
				return respond(exchange, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN,
						"Cannot terminate this connection using the DELETE endpoint.");
			}
			return this.longPolling.delete(exchange, connection);
		}
		TransportType requested = upgrade ? TransportType.WEB_SOCKETS
				: acceptsEventStream(request) ? TransportType.SERVER_SENT_EVENTS : TransportType.LONG_POLLING;
		if (!endpoint.options().transports().contains(requested)) {
			return notSupported(exchange, requested);
		}
		if (current != null && current != requested) {
			return respond(exchange, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN,
					"Cannot change transports mid-connection");
		}
		if (requested == TransportType.LONG_POLLING) {
			return (current == null) ? this.longPolling.connect(exchange, connection)
					: this.longPolling.poll(exchange, connection);
		}
		if (current == TransportType.WEB_SOCKETS && requested == TransportType.WEB_SOCKETS) {
			connection.takeOver();
		}
		if (current != null && connection.state() != HttpConnection.State.RECONNECTING) {
			return respond(exchange, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
		}
		return (requested == TransportType.WEB_SOCKETS) ? this.webSockets.handle(exchange, connection)
				: this.serverSentEvents.handle(exchange, connection);
	}

	/**
	 * Browsers do not apply CORS to WebSockets: the upgrade's Origin is checked against the allowed
	 * origins. Without any, a browser's cookies are good from the request's own origin only (its URI,
	 * as a ForwardedHeaderTransformer or the server's forwarded-header support left it), so that
	 * another site's page cannot open a connection as the user; requests without cookies carry their
	 * credentials themselves and may come from anywhere.
	 */
	private boolean originAllowed(ServerHttpRequest request) {
		String origin = request.getHeaders().getOrigin();
		if (origin == null || !CorsUtils.isCorsRequest(request)) {
			return true;
		}
		CorsConfiguration cors = this.cors;
		if (cors != null) {
			return cors.checkOrigin(origin) != null;
		}
		return request.getHeaders().getOrEmpty(HttpHeaders.COOKIE).stream().allMatch(String::isBlank);
	}

	private boolean atMaximumConnections() {
		return this.maximumConnections != Integer.MAX_VALUE && this.connections.count() >= this.maximumConnections;
	}

	/** 503 like a shutting-down node: the client's reconnect (or the load balancer) tries again later or elsewhere. */
	private Mono<Void> tooManyConnections(ServerWebExchange exchange) {
		long now = System.nanoTime();
		long last = this.lastRefusalWarning.get();
		if (now - last >= REFUSAL_WARNING_INTERVAL && this.lastRefusalWarning.compareAndSet(last, now)) {
			logger.warn("Refusing new connections: this node holds " + this.connections.count()
					+ " of signalr.maximum-connections=" + this.maximumConnections
					+ " (logged at most once a minute)");
		}
		return respond(exchange, HttpStatus.SERVICE_UNAVAILABLE, MediaType.TEXT_PLAIN, MAXIMUM_CONNECTIONS_REACHED);
	}

	/** The text of a 503 past the maximum number of connections. */
	static final String MAXIMUM_CONNECTIONS_REACHED = "Server has reached its maximum number of connections.";

	private static final long REFUSAL_WARNING_INTERVAL = TimeUnit.MINUTES.toNanos(1);

	private static final Log logger = LogFactory.getLog(SignalRRequestHandler.class);

	private static Mono<Void> notSupported(ServerWebExchange exchange, TransportType transport) {
		return respond(exchange, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN,
				transport.wireName() + " transport not supported by this end point type");
	}
}
