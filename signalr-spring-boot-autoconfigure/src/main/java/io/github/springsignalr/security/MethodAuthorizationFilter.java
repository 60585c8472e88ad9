package io.github.springsignalr.security;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.Ordered;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.core.Authentication;
import org.springframework.util.ClassUtils;

import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;
import io.github.springsignalr.UnauthorizedInvocationException;
import reactor.core.publisher.Mono;

/**
 * Method-level authorization: before each invocation, the security annotations of the hub method (or,
 * when it has none, of its hub class) are checked against the connection's user; a refused call gets
 * "Failed to invoke '{method}' because user is unauthorized". {@code @PermitAll} on a method opens it on
 * a secured hub. Runs first among the filters.
 */
public final class MethodAuthorizationFilter implements HubFilter, Ordered {

	private final MethodSecurityExpressionHandler expressions;

	private final Map<Method, AuthorizationRule> rules = new ConcurrentHashMap<>();

	public MethodAuthorizationFilter(MethodSecurityExpressionHandler expressions) {
		this.expressions = expressions;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Object> invoke(HubInvocationContext invocation, InvocationChain chain) {
		AuthorizationRule rule = this.rules.computeIfAbsent(invocation.method(), (method) -> {
			AuthorizationRule own = AuthorizationRule.of(method, this.expressions, false, java.util.List.of());
			if (own == null) {
				own = AuthorizationRule.of(ClassUtils.getUserClass(invocation.hub()), this.expressions, false,
						java.util.List.of());
			}
			return (own != null) ? own : AuthorizationRule.NONE;
		});
		if (rule == AuthorizationRule.NONE) {
			return chain.next(invocation);
		}
		Authentication caller = (invocation.context().user() instanceof Authentication authentication)
				? authentication : null;
		AuthorizationRule.Decision decision = rule.check(caller, invocation.hub(), invocation.method(),
				invocation.arguments().toArray(), this.expressions);
		if (decision != AuthorizationRule.Decision.GRANTED) {
			return Mono.error(new UnauthorizedInvocationException(invocation.methodName()));
		}
		return chain.next(invocation);
	}
}
