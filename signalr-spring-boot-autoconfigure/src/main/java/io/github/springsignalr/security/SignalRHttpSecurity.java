package io.github.springsignalr.security;

import java.util.Locale;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.legacy.LegacyPaths;

/**
 * SignalR's part of a Spring MVC (servlet) security configuration, in one call, as
 * {@link SignalRServerHttpSecurity} is for WebFlux: the hub paths are permitted through Spring Security's
 * authorization so that each hub's own authorization answers (401 for an anonymous client of a hub that
 * requires authentication, 403 for a missing authority), and they are exempt from CSRF tokens, which
 * SignalR clients cannot send. Every other request keeps Spring Security's CSRF protection, except
 * requests carrying a bearer token, as the resource server exempts them. The classic endpoint's paths
 * ({@code /signalr/negotiate} and the others, when enabled) are SignalR's too.
 *
 * <p>It is deliberately not a {@code Customizer} bean, which Spring Security would apply to every
 * security configuration of the application ahead of its own rules: an application's own rule for a hub
 * path (say {@code hasRole("ADMIN")}) must not be overridden behind its back, so each configuration
 * applies it where it wants.
 *
 * <p>Apply it first, then secure the rest as usual:
 * <pre>{@code
 * @Bean
 * SecurityFilterChain security(HttpSecurity http, SignalRHttpSecurity signalR) throws Exception {
 *     return signalR.apply(http)
 *         .authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
 *         .oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
 *         .build();
 * }
 * }</pre>
 */
public final class SignalRHttpSecurity {

	private final SignalRRouteRegistry routes;

	private final Supplier<@Nullable LegacyPaths> legacy;

	/**
	 * @param routes the mapped hubs and connection handlers (read per request: hubs are mapped after the
	 * security configuration is built)
	 */
	public SignalRHttpSecurity(SignalRRouteRegistry routes) {
		this(routes, () -> null);
	}

	/**
	 * @param routes the mapped hubs and connection handlers (read per request: hubs are mapped after the
	 * security configuration is built)
	 * @param legacy the paths of the classic ASP.NET SignalR 2 endpoint, if enabled
	 */
	public SignalRHttpSecurity(SignalRRouteRegistry routes, Supplier<@Nullable LegacyPaths> legacy) {
		this.routes = routes;
		this.legacy = legacy;
	}

	/** Applies it to {@code http} and returns {@code http} for the rest of the configuration. */
	public HttpSecurity apply(HttpSecurity http) {
		customize(http);
		return http;
	}

	/** Applies it to {@code http}. */
	public void customize(HttpSecurity http) {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(signalRPaths()).permitAll());
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(csrfExempt()));
	}

	/** The requests of SignalR's paths: each hub's (with its negotiate) and each connection handler's. */
	public RequestMatcher signalRPaths() {
		return this::isSignalRPath;
	}

	/** The requests exempt from CSRF tokens: SignalR's paths and requests with a bearer token. */
	public RequestMatcher csrfExempt() {
		return (request) -> isSignalRPath(request) || hasBearerToken(request);
	}

	private boolean isSignalRPath(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		String path = (contextPath != null && uri.startsWith(contextPath)) ? uri.substring(contextPath.length()) : uri;
		LegacyPaths legacy = this.legacy.get();
		if (this.routes.matches(path) || (legacy != null && legacy.isEndpointPath(path))) {
			return true;
		}
		String key = path.toLowerCase(Locale.ROOT);
		for (ConnectionRoute route : this.routes.endpoints()) {
			String prefix = route.path().toLowerCase(Locale.ROOT);
			if (key.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasBearerToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
	}

}
