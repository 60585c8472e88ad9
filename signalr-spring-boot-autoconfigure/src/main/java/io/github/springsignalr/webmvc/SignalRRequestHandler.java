package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.cluster.RequestForwarding;
import io.github.springsignalr.connection.AuthenticationRefresh;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.NegotiateResponse;

import static io.github.springsignalr.webmvc.TransportRequests.acceptsEventStream;
import static io.github.springsignalr.webmvc.TransportRequests.queryParam;
import static io.github.springsignalr.webmvc.TransportRequests.respond;

/**
 * Serves negotiate and dispatches the servlet requests of the transports to the transport they ask for,
 * with the status codes and texts of the reference's {@code HttpConnectionDispatcher} (as the WebFlux
 * adapter does).
 */
public final class SignalRRequestHandler {

	/** The text of a 503 past the maximum number of connections. */
	static final String MAXIMUM_CONNECTIONS_REACHED = "Server has reached its maximum number of connections.";

	private static final long REFUSAL_WARNING_INTERVAL = TimeUnit.MINUTES.toNanos(1);

	private static final Log logger = LogFactory.getLog(SignalRRequestHandler.class);

	private final ConnectionManager connections;

	private final WebSocketTransport webSockets;

	private final ServerSentEventsTransport serverSentEvents;

	private final LongPollingTransport longPolling;

	private final ClientDataPosts posts;

	private RouteAuthorizer authorizer = RouteAuthorizer.PERMIT_ALL;

	private @Nullable CorsConfiguration cors;

	private AuthenticationRefresh refresh;

	private int maximumConnections = Integer.MAX_VALUE;

	private final AtomicLong lastRefusalWarning = new AtomicLong(System.nanoTime() - REFUSAL_WARNING_INTERVAL);

	/**
	 * @param pollTimeout how long a long poll is held without data
	 * @param maxPostSize largest body accepted in one POST of client data
	 * @param writes where responses are written off the threads that send (an executor that may block)
	 */
	public SignalRRequestHandler(ConnectionManager connections, WebSocketTransport webSockets, Duration pollTimeout,
			int maxPostSize, Executor writes) {
		this.connections = connections;
		this.webSockets = webSockets;
		this.serverSentEvents = new ServerSentEventsTransport(writes);
		this.longPolling = new LongPollingTransport(pollTimeout, writes);
		this.posts = new ClientDataPosts(maxPostSize);
		this.refresh = AuthenticationRefresh.disabled(connections);
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
		this.refresh = new AuthenticationRefresh(this.connections, enabled, expiration, policy);
	}

	/** Whether {@code {path}/refresh} is served for the endpoint. */
	boolean authenticationRefresh(ConnectionRoute endpoint) {
		return this.refresh.enabled(endpoint);
	}

	/** {@code {path}/refresh}: the hub's authorization first, as for every request of the hub. */
	void refresh(HttpServletRequest request, HttpServletResponse response, ConnectionRoute endpoint)
			throws IOException {
		if (!authorized(request, response, endpoint)) {
			return;
		}
		if (!HttpMethod.POST.matches(request.getMethod())) {
			respond(response, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
			return;
		}
		String token = queryParam(request, "id", false);
		if (token == null) {
			token = request.getHeader(RequestForwarding.CONNECTION_TOKEN_HEADER);
		}
		AuthenticationRefresh.Answer answer = this.refresh.refresh(endpoint, token,
				TransportRequests.authenticatedUser(request));
		respond(response, HttpStatus.valueOf(answer.status()), MediaType.APPLICATION_JSON, answer.json());
	}

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

	void negotiate(HttpServletRequest request, HttpServletResponse response, ConnectionRoute endpoint)
			throws IOException {
		if (!authorized(request, response, endpoint)) {
			return;
		}
		if (!HttpMethod.POST.matches(request.getMethod())) {
			respond(response, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
			return;
		}
		if (this.connections.isShuttingDown()) {
			// the client (its automatic reconnect) tries again, through the load balancer to another node
			respond(response, HttpStatus.SERVICE_UNAVAILABLE, MediaType.TEXT_PLAIN, "Server is shutting down.");
			return;
		}
		if (atMaximumConnections()) {
			tooManyConnections(response);
			return;
		}
		String version = queryParam(request, "negotiateVersion");
		int negotiateVersion = 0;
		if (version != null) {
			try {
				negotiateVersion = Integer.parseInt(version.trim());
			}
			catch (NumberFormatException ex) {
				negotiateError(response, "The client requested a non-integer protocol version.");
				return;
			}
			if (negotiateVersion < 0) {
				negotiateError(response, "The client requested version '" + negotiateVersion
						+ "', but the server does not support this version.");
				return;
			}
			negotiateVersion = Math.min(negotiateVersion, 1);
		}
		HttpConnection connection = this.connections.create(endpoint, negotiateVersion);
		Principal user = TransportRequests.authenticatedUser(request);
		connection.owner((user != null) ? user.getName() : null);
		boolean stateful = endpoint.options().allowStatefulReconnects()
				&& "true".equalsIgnoreCase(queryParam(request, "useStatefulReconnect"));
		connection.statefulReconnect(stateful);
		respond(response, HttpStatus.OK, MediaType.APPLICATION_JSON,
				NegotiateResponse.of(connection, negotiateVersion, stateful, endpoint.options(),
						this.refresh.tokenLifetimeSeconds(endpoint, user)));
	}

	private static void negotiateError(HttpServletResponse response, String error) throws IOException {
		respond(response, HttpStatus.OK, MediaType.APPLICATION_JSON, NegotiateResponse.error(error));
	}

	private boolean authorized(HttpServletRequest request, HttpServletResponse response, ConnectionRoute endpoint)
			throws IOException {
		HttpStatus refusal = this.authorizer.authorize(request, endpoint);
		if (refusal == null) {
			return true;
		}
		if (refusal == HttpStatus.UNAUTHORIZED) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		response.setStatus(refusal.value());
		response.setContentLength(0);
		return false;
	}

	void transport(HttpServletRequest request, HttpServletResponse response, ConnectionRoute endpoint)
			throws IOException {
		if (!authorized(request, response, endpoint)) {
			return;
		}
		String method = request.getMethod();
		boolean get = HttpMethod.GET.matches(method);
		boolean upgrade = get && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
		String token = queryParam(request, "id", false);
		boolean stream = upgrade || (get && acceptsEventStream(request));
		if (stream && !originAllowed(request)) {
			respond(response, HttpStatus.FORBIDDEN, MediaType.TEXT_PLAIN, "");
			return;
		}
		if (upgrade && token == null) {
			// skip negotiation: the connection is created on the fly
			if (!endpoint.options().transports().contains(TransportType.WEB_SOCKETS)) {
				notSupported(response, TransportType.WEB_SOCKETS);
			}
			else if (atMaximumConnections()) {
				tooManyConnections(response);
			}
			else {
				this.webSockets.handle(request, response, this.connections.create(endpoint, 1));
			}
			return;
		}
		boolean post = HttpMethod.POST.matches(method);
		boolean delete = HttpMethod.DELETE.matches(method);
		if (!get && !post && !delete) {
			respond(response, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
			return;
		}
		if (token == null) {
			respond(response, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Connection ID required");
			return;
		}
		HttpConnection connection = this.connections.get(token);
		if (connection == null || connection.route() != endpoint
				|| !Objects.equals(connection.owner(), TransportRequests.userName(request))) {
			// a token presented by anyone but the user who negotiated it is as good as unknown
			respond(response, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN, "No Connection with that ID");
			return;
		}
		TransportType current = connection.transportOrNull();
		if (post) {
			if (current == TransportType.WEB_SOCKETS) {
				respond(response, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN,
						"POST requests are not allowed for WebSocket connections.");
				return;
			}
			this.posts.receive(request, response, connection);
			return;
		}
		if (delete) {
			if (current != TransportType.LONG_POLLING) {
				respond(response, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN,
						"Cannot terminate this connection using the DELETE endpoint.");
				return;
			}
			this.longPolling.delete(response, connection);
			return;
		}
		TransportType requested = upgrade ? TransportType.WEB_SOCKETS
				: acceptsEventStream(request) ? TransportType.SERVER_SENT_EVENTS : TransportType.LONG_POLLING;
		if (!endpoint.options().transports().contains(requested)) {
			notSupported(response, requested);
			return;
		}
		if (current != null && current != requested) {
			respond(response, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Cannot change transports mid-connection");
			return;
		}
		if (requested == TransportType.LONG_POLLING) {
			if (current == null) {
				this.longPolling.connect(request, response, connection);
			}
			else {
				this.longPolling.poll(request, response, connection);
			}
			return;
		}
		if (current == TransportType.WEB_SOCKETS && requested == TransportType.WEB_SOCKETS) {
			connection.takeOver();
		}
		if (current != null && connection.state() != HttpConnection.State.RECONNECTING) {
			respond(response, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			return;
		}
		if (requested == TransportType.WEB_SOCKETS) {
			this.webSockets.handle(request, response, connection);
		}
		else {
			this.serverSentEvents.handle(request, response, connection);
		}
	}

	/**
	 * Browsers do not apply CORS to WebSockets: the upgrade's Origin is checked against the allowed
	 * origins. Without any, a browser's cookies are good from the request's own origin only, so that
	 * another site's page cannot open a connection as the user; requests without cookies carry their
	 * credentials themselves and may come from anywhere.
	 */
	private boolean originAllowed(HttpServletRequest request) {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin == null || !CorsUtils.isCorsRequest(request)) {
			return true;
		}
		CorsConfiguration cors = this.cors;
		if (cors != null) {
			return cors.checkOrigin(origin) != null;
		}
		String cookie = request.getHeader(HttpHeaders.COOKIE);
		return cookie == null || cookie.isBlank();
	}

	private boolean atMaximumConnections() {
		return this.maximumConnections != Integer.MAX_VALUE && this.connections.count() >= this.maximumConnections;
	}

	/** 503 like a shutting-down node: the client's reconnect (or the load balancer) tries again later or elsewhere. */
	private void tooManyConnections(HttpServletResponse response) throws IOException {
		long now = System.nanoTime();
		long last = this.lastRefusalWarning.get();
		if (now - last >= REFUSAL_WARNING_INTERVAL && this.lastRefusalWarning.compareAndSet(last, now)) {
			logger.warn("Refusing new connections: this node holds " + this.connections.count()
					+ " of signalr.maximum-connections=" + this.maximumConnections
					+ " (logged at most once a minute)");
		}
		respond(response, HttpStatus.SERVICE_UNAVAILABLE, MediaType.TEXT_PLAIN, MAXIMUM_CONNECTIONS_REACHED);
	}

	private static void notSupported(HttpServletResponse response, TransportType transport) throws IOException {
		respond(response, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN,
				transport.wireName() + " transport not supported by this end point type");
	}
}
