package io.github.springsignalr.webflux;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.legacy.LegacyHub;

/**
 * Which hubs a classic client may use, decided at negotiate by the same {@link RouteAuthorizer} as the
 * hubs' ASP.NET Core routes: the hubs it may not connect to are dropped from its connection; when none
 * of those it listed remain, negotiate is refused with the authorizer's status (401 or 403).
 */
final class LegacyHubAuthorization {

	private final RouteAuthorizer authorizer;

	private final SignalRRouteRegistry routes;

	LegacyHubAuthorization(RouteAuthorizer authorizer, SignalRRouteRegistry routes) {
		this.authorizer = authorizer;
		this.routes = routes;
	}

	/** The hubs of {@code hubs} the request may use, and the status of the first refusal. */
	Mono<Allowed> authorize(ServerWebExchange exchange, Collection<LegacyHub> hubs) {
		return Flux.fromIterable(hubs)
			.concatMap((hub) -> {
				ConnectionRoute route = route(hub);
				Mono<HttpStatus> refusal = (route != null) ? this.authorizer.authorize(exchange, route) : Mono.empty();
				return refusal.map((status) -> new Decision(hub, status)).defaultIfEmpty(new Decision(hub, null));
			})
			.collectList()
			.map((decisions) -> new Allowed(
					decisions.stream().filter((d) -> d.refusal() == null).map(Decision::hub).collect(Collectors.toSet()),
					decisions.stream().map(Decision::refusal).filter((s) -> s != null).findFirst().orElse(HttpStatus.FORBIDDEN)));
	}

	private @Nullable ConnectionRoute route(LegacyHub hub) {
		for (ConnectionRoute route : this.routes.endpoints()) {
			if (route.handler() == hub.handler()) {
				return route;
			}
		}
		return null;
	}

	private record Decision(LegacyHub hub, @Nullable HttpStatus refusal) {
	}

	/** The hubs allowed, and the status to answer when none of those listed is. */
	record Allowed(Set<LegacyHub> hubs, HttpStatus refusal) {
	}
}
