package io.github.springsignalr.webflux;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.JsonStrings;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static io.github.springsignalr.webflux.TransportRequests.authenticatedUser;
import static io.github.springsignalr.webflux.TransportRequests.respond;

/**
 * ASP.NET Core 11's authentication refresh on the hubs that enable it: negotiate reports how long the
 * caller's credentials live ({@code tokenLifetimeSeconds}), and {@code POST {path}/refresh} replaces the
 * principal of an open connection with that of the request, with the reference's statuses and
 * {@code error} codes. The request is authenticated by the application's security chain and authorized
 * as every request of the hub; only the connection's own user may refresh it.
 */
final class AuthenticationRefreshEndpoint {

	/** The header the 11.x clients send the connection token in (they may use the {@code id} query too). */
	static final String CONNECTION_TOKEN_HEADER = "X-SignalR-Connection-Token";

	private static final Log logger = LogFactory.getLog(AuthenticationRefreshEndpoint.class);

	private final ConnectionManager connections;

	private final Predicate<ConnectionRoute> enabled;

	private final Function<Principal, @Nullable Instant> expiration;

	private final AuthenticationRefreshPolicy policy;

	private final Scheduler policyScheduler;

	AuthenticationRefreshEndpoint(ConnectionManager connections, Predicate<ConnectionRoute> enabled,
			Function<Principal, @Nullable Instant> expiration, AuthenticationRefreshPolicy policy) {
		this.connections = connections;
		this.enabled = enabled;
		this.expiration = expiration;
		this.policy = policy;
		this.policyScheduler = Schedulers.boundedElastic();
	}

	/** Refresh nowhere. */
	static AuthenticationRefreshEndpoint disabled(ConnectionManager connections) {
		return new AuthenticationRefreshEndpoint(connections, (endpoint) -> false, (user) -> null,
				AuthenticationRefreshPolicy.ACCEPT_ALL);
	}

	boolean enabled(ConnectionRoute endpoint) {
		return this.enabled.test(endpoint);
	}

	/** Negotiate's {@code tokenLifetimeSeconds}: whole seconds the caller's credentials still live, if known. */
	@Nullable Integer tokenLifetimeSeconds(ConnectionRoute endpoint, @Nullable Principal user) {
		if (user == null || !enabled(endpoint)) {
			return null;
		}
		return secondsLeft(user);
	}

	private @Nullable Integer secondsLeft(Principal user) {
		Instant expiry = this.expiration.apply(user);
		if (expiry == null) {
			return null;
		}
		long seconds = Duration.between(Instant.now(), expiry).getSeconds();
		return (seconds > 0) ? (int) Math.min(seconds, Integer.MAX_VALUE) : null;
	}

	/** {@code {path}/refresh}, once the hub's authorization let the request through. */
	Mono<Void> handle(ServerWebExchange exchange, ConnectionRoute endpoint) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		String token = connectionToken(request);
		if (token == null || token.isEmpty()) {
			return error(exchange, HttpStatus.BAD_REQUEST, "missing_connection_token",
					"The 'id' query string parameter is required.");
		}
		HttpConnection connection = this.connections.get(token);
		if (connection == null || connection.route() != endpoint || connection.isClosed()) {
			return notFound(exchange);
		}
		return authenticatedUser(exchange).map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((user) -> {
				if (user.isEmpty()) {
					return error(exchange, HttpStatus.UNAUTHORIZED, "invalid_token", "Authentication failed.");
				}
				if (!Objects.equals(connection.owner(), user.get().getName())) {
					// another user's credentials never attach to the connection, which goes on untouched
					return userChanged(exchange);
				}
				return allowed(endpoint, connection, user.get())
					.flatMap((allowed) -> allowed ? refresh(exchange, connection, user.get())
							: error(exchange, HttpStatus.FORBIDDEN, "refresh_rejected",
									"The application rejected the authentication refresh."));
			});
	}

	/** The connection token: the {@code id} query parameter, else the header. */
	static @Nullable String connectionToken(ServerHttpRequest request) {
		String token = request.getQueryParams().getFirst("id");
		return (token != null) ? token : request.getHeaders().getFirst(CONNECTION_TOKEN_HEADER);
	}

	private Mono<Boolean> allowed(ConnectionRoute endpoint, HttpConnection connection, Principal user) {
		if (this.policy == AuthenticationRefreshPolicy.ACCEPT_ALL) {
			return Mono.just(true);
		}
		AuthenticationRefreshPolicy.Refresh refresh = new AuthenticationRefreshPolicy.Refresh(endpoint.name(),
				connection.id(), connection.user(), user);
		return Mono.fromCallable(() -> this.policy.allow(refresh))
			.subscribeOn(this.policyScheduler)
			.onErrorResume((ex) -> {
				logger.warn("The authentication refresh policy failed for connection " + connection.id()
						+ " of hub " + endpoint.name() + "; the refresh is rejected", ex);
				return Mono.just(false);
			});
	}

	private Mono<Void> refresh(ServerWebExchange exchange, HttpConnection connection, Principal user) {
		if (!connection.refreshUser(user)) {
			return connection.isClosed() ? notFound(exchange) : userChanged(exchange);
		}
		StringBuilder json = new StringBuilder(128).append("{\"connectionId\":");
		JsonStrings.quote(json, connection.id()).append(",\"refreshedAt\":\"")
			.append(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.append('"');
		Integer lifetime = secondsLeft(user);
		if (lifetime != null) {
			json.append(",\"tokenLifetimeSeconds\":").append(lifetime);
		}
		return respond(exchange, HttpStatus.OK, MediaType.APPLICATION_JSON, json.append('}').toString());
	}

	private static Mono<Void> notFound(ServerWebExchange exchange) {
		return error(exchange, HttpStatus.NOT_FOUND, "connection_not_found",
				"No active connection with the specified ID.");
	}

	private static Mono<Void> userChanged(ServerWebExchange exchange) {
		return error(exchange, HttpStatus.FORBIDDEN, "user_changed",
				"The refreshed credentials belong to another user than the connection's.");
	}

	private static Mono<Void> error(ServerWebExchange exchange, HttpStatus status, String error, String description) {
		StringBuilder json = new StringBuilder(128).append("{\"error\":");
		JsonStrings.quote(json, error).append(",\"error_description\":");
		JsonStrings.quote(json, description).append('}');
		return respond(exchange, status, MediaType.APPLICATION_JSON, json.toString());
	}
}
