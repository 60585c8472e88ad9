package io.github.springsignalr.webflux;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.connection.ConnectionRoute;
import reactor.core.publisher.Mono;

/**
 * Decides whether a request may reach an endpoint (negotiate and every transport request). The
 * security integration implements it from Spring Security; without one every request is allowed.
 */
@FunctionalInterface
public interface RouteAuthorizer {

	/** Allows every request. */
	RouteAuthorizer PERMIT_ALL = new RouteAuthorizer() {
		@Override
		public Mono<HttpStatus> authorize(ServerWebExchange exchange, ConnectionRoute endpoint) {
			return Mono.empty();
		}

		@Override
		public boolean permitsAll(ConnectionRoute endpoint) {
			return true;
		}
	};

	/**
	 * @return empty when the request may proceed; otherwise the status to answer with an empty body:
	 * {@code 401} without credentials, {@code 403} without permission
	 */
	Mono<HttpStatus> authorize(ServerWebExchange exchange, ConnectionRoute endpoint);

	/**
	 * Whether {@link #authorize} lets every request to the endpoint proceed whoever sends it, so that it
	 * need not be asked (no principal is looked up for it). {@code false} unless an implementation knows.
	 */
	default boolean permitsAll(ConnectionRoute endpoint) {
		return false;
	}
}
