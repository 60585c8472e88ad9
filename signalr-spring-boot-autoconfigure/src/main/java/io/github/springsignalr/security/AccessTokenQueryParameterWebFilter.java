package io.github.springsignalr.security;

import java.util.function.Predicate;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Browsers cannot put headers on WebSocket and EventSource requests, so SignalR clients send their
 * bearer token as the {@code access_token} query parameter there. For the GET requests of SignalR
 * endpoints only, this filter turns that parameter into an {@code Authorization: Bearer} header before
 * Spring Security reads it, so any bearer authentication (a JWT resource server, a custom
 * {@code ReactiveAuthenticationManager}) works unchanged. The token is never logged.
 */
public final class AccessTokenQueryParameterWebFilter implements WebFilter, Ordered {

	/** Runs before Spring Security's filter chain (order -100). */
	public static final int ORDER = -200;

	private static final String PARAMETER = "access_token";

	private final Predicate<String> signalRPath;

	/**
	 * @param signalRPath whether a request path belongs to a SignalR endpoint
	 */
	public AccessTokenQueryParameterWebFilter(Predicate<String> signalRPath) {
		this.signalRPath = signalRPath;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.GET || request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			return chain.filter(exchange);
		}
		String token = request.getQueryParams().getFirst(PARAMETER);
		if (token == null || token.isEmpty()
				|| !this.signalRPath.test(request.getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest withHeader = request.mutate()
			.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token))
			.build();
		return chain.filter(exchange.mutate().request(withHeader).build());
	}
}
