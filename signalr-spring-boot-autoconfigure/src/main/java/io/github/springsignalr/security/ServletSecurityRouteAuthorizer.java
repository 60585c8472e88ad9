package io.github.springsignalr.security;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.webmvc.RouteAuthorizer;

/**
 * Hub-level authorization with Spring Security on the servlet stack, as {@link SecurityRouteAuthorizer}
 * does on WebFlux: the security annotations of the hub class (or the connection handler) and
 * {@code signalr.hubs.<name>.*} configuration decide, on negotiate and every transport request, between
 * going on, 401 and 403. The caller is the request's authentication (Spring Security's, on the request's
 * thread).
 */
public final class ServletSecurityRouteAuthorizer implements RouteAuthorizer {

	private static final Method ANY_METHOD = ClassUtils.getMethod(Object.class, "toString");

	private final MethodSecurityExpressionHandler expressions;

	private final Function<String, SecurityRouteAuthorizer.HubSecurity> configuration;

	private final Map<ConnectionRoute, AuthorizationRule> rules = new ConcurrentHashMap<>();

	/**
	 * @param configuration the configured requirements of an endpoint by its name
	 */
	public ServletSecurityRouteAuthorizer(MethodSecurityExpressionHandler expressions,
			Function<String, SecurityRouteAuthorizer.HubSecurity> configuration) {
		this.expressions = expressions;
		this.configuration = configuration;
	}

	@Override
	public @Nullable HttpStatus authorize(HttpServletRequest request, ConnectionRoute endpoint) {
		Object bean = endpoint.bean();
		if (bean == null) {
			return null;
		}
		AuthorizationRule rule = this.rules.computeIfAbsent(endpoint, (key) -> {
			SecurityRouteAuthorizer.HubSecurity configured = this.configuration.apply(key.name());
			AuthorizationRule annotated = AuthorizationRule.of(ClassUtils.getUserClass(bean), this.expressions,
					configured.authenticated(), configured.authorities());
			return (annotated != null) ? annotated : AuthorizationRule.NONE;
		});
		if (rule == AuthorizationRule.NONE) {
			return null;
		}
		return switch (rule.check(caller(request), bean, ANY_METHOD, new Object[0], this.expressions)) {
			case GRANTED -> null;
			case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
			case FORBIDDEN -> HttpStatus.FORBIDDEN;
		};
	}

	private static @Nullable Authentication caller(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal instanceof Authentication authentication) {
			return authentication;
		}
		return SecurityContextHolder.getContext().getAuthentication();
	}
}
