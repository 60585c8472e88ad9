package io.github.springsignalr.webflux;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.cluster.RequestForwarding;
import io.github.springsignalr.connection.AuthenticationRefresh;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionRoute;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static io.github.springsignalr.webflux.TransportRequests.authenticatedUser;
import static io.github.springsignalr.webflux.TransportRequests.respond;

/**
 * ASP.NET Core 11's authentication refresh on the hubs that enable it, on WebFlux: negotiate reports how
 * long the caller's credentials live ({@code tokenLifetimeSeconds}), and {@code POST {path}/refresh}
 * replaces the principal of an open connection with that of the request, with the reference's statuses
 * and {@code error} codes ({@link AuthenticationRefresh}, shared with the servlet stack). The request is
 * authenticated by the application's security chain and authorized as every request of the hub; only the
 * connection's own user may refresh it. An application's policy, which may block, is asked off the event
 * loop.
 */
final class AuthenticationRefreshEndpoint {

	/** The header the 11.x clients send the connection token in (they may use the {@code id} query too). */
	static final String CONNECTION_TOKEN_HEADER = RequestForwarding.CONNECTION_TOKEN_HEADER;

	private final AuthenticationRefresh refresh;

	private final boolean policyMayBlock;

	private final Scheduler policyScheduler;

	AuthenticationRefreshEndpoint(ConnectionManager connections, Predicate<ConnectionRoute> enabled,
			Function<Principal, @Nullable Instant> expiration, AuthenticationRefreshPolicy policy) {
		this.refresh = new AuthenticationRefresh(connections, enabled, expiration, policy);
		this.policyMayBlock = policy != AuthenticationRefreshPolicy.ACCEPT_ALL;
		this.policyScheduler = Schedulers.boundedElastic();
	}

	/** Refresh nowhere. */
	static AuthenticationRefreshEndpoint disabled(ConnectionManager connections) {
		return new AuthenticationRefreshEndpoint(connections, (endpoint) -> false, (user) -> null,
				AuthenticationRefreshPolicy.ACCEPT_ALL);
	}

	boolean enabled(ConnectionRoute endpoint) {
		return this.refresh.enabled(endpoint);
	}

	/** Negotiate's {@code tokenLifetimeSeconds}: whole seconds the caller's credentials still live, if known. */
	@Nullable Integer tokenLifetimeSeconds(ConnectionRoute endpoint, @Nullable Principal user) {
		return this.refresh.tokenLifetimeSeconds(endpoint, user);
	}

	/** {@code {path}/refresh}, once the hub's authorization let the request through. */
	Mono<Void> handle(ServerWebExchange exchange, ConnectionRoute endpoint) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		String token = connectionToken(request);
		return authenticatedUser(exchange).map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((user) -> {
				Mono<AuthenticationRefresh.Answer> answer = Mono
					.fromCallable(() -> this.refresh.refresh(endpoint, token, user.orElse(null)));
				return (this.policyMayBlock ? answer.subscribeOn(this.policyScheduler) : answer)
					.flatMap((refreshed) -> respond(exchange, HttpStatus.valueOf(refreshed.status()),
							MediaType.APPLICATION_JSON, refreshed.json()));
			});
	}

	/** The connection token: the {@code id} query parameter, else the header. */
	static @Nullable String connectionToken(ServerHttpRequest request) {
		String token = request.getQueryParams().getFirst("id");
		return (token != null) ? token : request.getHeaders().getFirst(CONNECTION_TOKEN_HEADER);
	}
}
