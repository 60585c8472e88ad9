package io.github.springsignalr.security;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.core.Authentication;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.webflux.RouteAuthorizer;
import reactor.core.publisher.Mono;

/**
 * Hub-level authorization with Spring Security: the security annotations of the hub class (or the
 * connection handler) and {@code signalr.hubs.<name>.*} configuration decide, on negotiate and every
 * transport request, between going on, 401 and 403.
 */
public final class SecurityRouteAuthorizer implements RouteAuthorizer {

	private static final Method ANY_METHOD = ClassUtils.getMethod(Object.class, "toString");

	private final MethodSecurityExpressionHandler expressions;

	private final Function<String, HubSecurity> configuration;

	private final Map<ConnectionRoute, AuthorizationRule> rules = new ConcurrentHashMap<>();

	/**
	 * @param configuration the configured requirements of an endpoint by its name
	 */
	public SecurityRouteAuthorizer(MethodSecurityExpressionHandler expressions,
			Function<String, HubSecurity> configuration) {
		this.expressions = expressions;
		this.configuration = configuration;
	}

	/**
	 * What configuration requires of the callers of one hub.
	 * @param authenticated whether an authenticated user is required
	 * @param authorities authorities of which the user needs one (empty: none)
	 */
	public record HubSecurity(boolean authenticated, List<String> authorities) {

		/** Nothing required. */
		public static final HubSecurity NONE = new HubSecurity(false, List.of());
	}

	@Override
	public Mono<HttpStatus> authorize(ServerWebExchange exchange, ConnectionRoute endpoint) {
		Object bean = endpoint.bean();
		if (bean == null) {
			return Mono.empty();
		}
		AuthorizationRule rule = rule(endpoint, bean);
		if (rule == AuthorizationRule.NONE) {
			return Mono.empty();
		}
		return exchange.getPrincipal()
			.map((principal) -> Optional.ofNullable(
					(principal instanceof Authentication authentication) ? authentication : null))
			.defaultIfEmpty(Optional.empty())
			.flatMap((caller) -> decide(rule, caller.orElse(null), bean));
	}

	@Override
	public boolean permitsAll(ConnectionRoute endpoint) {
		Object bean = endpoint.bean();
		return bean == null || rule(endpoint, bean) == AuthorizationRule.NONE;
	}

	private AuthorizationRule rule(ConnectionRoute endpoint, Object bean) {
		return this.rules.computeIfAbsent(endpoint, (key) -> {
			HubSecurity configured = this.configuration.apply(key.name());
			AuthorizationRule annotated = AuthorizationRule.of(ClassUtils.getUserClass(bean), this.expressions,
					configured.authenticated(), configured.authorities());
			return (annotated != null) ? annotated : AuthorizationRule.NONE;
		});
	}

	private Mono<HttpStatus> decide(AuthorizationRule rule, @Nullable Authentication caller, Object bean) {
		return switch (rule.check(caller, bean, ANY_METHOD, new Object[0], this.expressions)) {
			case GRANTED -> Mono.empty();
			case UNAUTHENTICATED -> Mono.just(HttpStatus.UNAUTHORIZED);
			case FORBIDDEN -> Mono.just(HttpStatus.FORBIDDEN);
		};
	}
}
