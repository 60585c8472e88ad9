package io.github.springsignalr.security;

import java.util.Locale;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.webflux.LegacyHandlerMapping;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * SignalR's part of a WebFlux security configuration, in one call: the hub paths (and those of the
 * classic ASP.NET SignalR endpoint, when enabled) are permitted through Spring Security's authorization
 * so that each hub's own authorization answers (401 for an anonymous client of a hub that requires
 * authentication, 403 for a missing authority; see {@code signalr.hubs.<name>.*} and the hub's security
 * annotations), and they are exempt from CSRF tokens, which SignalR clients cannot send (a hub request is
 * useless without the connection token only the negotiating client can read). Every other request keeps
 * Spring Security's CSRF protection, except requests carrying a bearer token, as the resource server
 * exempts them.
 *
 * <p>It is deliberately not a {@code Customizer} bean, which Spring Security would apply to every
 * security configuration of the application ahead of its own rules: an application's own rule for a hub
 * path (say {@code hasRole("ADMIN")}) must not be overridden behind its back, so each configuration
 * applies it where it wants.
 *
 * <p>Apply it first, then secure the rest as usual:
 * <pre>{@code
 * @Bean
 * SecurityWebFilterChain security(ServerHttpSecurity http, SignalRServerHttpSecurity signalR) {
 *     return signalR.apply(http)
 *         .authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
 *         .oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
 *         .build();
 * }
 * }</pre>
 * It sets the CSRF protection matcher; an application that needs a matcher of its own combines it with
 * {@link #csrfExempt()}.
 *
 * @since 1.2
 */
public final class SignalRServerHttpSecurity {

	private final SignalRRouteRegistry routes;

	private final Supplier<@Nullable LegacyHandlerMapping> legacy;

	/**
	 * @param routes the mapped hubs and connection handlers (read per request: hubs are mapped after the
	 * security configuration is built)
	 * @param legacy the classic endpoint, if enabled
	 */
	public SignalRServerHttpSecurity(SignalRRouteRegistry routes, Supplier<@Nullable LegacyHandlerMapping> legacy) {
		this.routes = routes;
		this.legacy = legacy;
	}

	/** Applies it to {@code http} and returns {@code http} for the rest of the configuration. */
	public ServerHttpSecurity apply(ServerHttpSecurity http) {
		customize(http);
		return http;
	}

	/** Applies it to {@code http}. */
	public void customize(ServerHttpSecurity http) {
		ServerWebExchangeMatcher signalR = signalRPaths();
		http.authorizeExchange((exchanges) -> exchanges.matchers(signalR).permitAll());
		http.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(new AndServerWebExchangeMatcher(
				CsrfWebFilter.DEFAULT_CSRF_MATCHER, new NegatedServerWebExchangeMatcher(csrfExempt()))));
	}

	/** The requests of SignalR's paths: each hub's (with its negotiate) and the classic endpoint's. */
	public ServerWebExchangeMatcher signalRPaths() {
		return (exchange) -> isSignalRPath(exchange) ? ServerWebExchangeMatcher.MatchResult.match()
				: ServerWebExchangeMatcher.MatchResult.notMatch();
	}

	/** The requests exempt from CSRF tokens: SignalR's paths and requests with a bearer token. */
	public ServerWebExchangeMatcher csrfExempt() {
		return (exchange) -> (isSignalRPath(exchange) || hasBearerToken(exchange))
				? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
	}

	private boolean isSignalRPath(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (this.routes.matches(path)) {
			return true;
		}
		LegacyHandlerMapping legacy = this.legacy.get();
		if (legacy != null && legacy.isEndpointPath(path)) {
			return true;
		}
		String key = path.toLowerCase(Locale.ROOT);
		for (ConnectionRoute route : this.routes.endpoints()) {
			// below a path: the requests of a classic persistent connection
			String prefix = route.path().toLowerCase(Locale.ROOT);
			if (key.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasBearerToken(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
	}

}
