package io.github.springsignalr.security;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.security.access.expression.ExpressionUtils;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.util.ClassUtils;
import org.springframework.security.util.SimpleMethodInvocation;

/**
 * What an element (a hub class or a hub method) requires of its caller, read once from its
 * annotations and configuration, and the check of an {@link Authentication} against it.
 */
final class AuthorizationRule {

	/** The outcome of a check. */
	enum Decision {
		GRANTED, UNAUTHENTICATED, FORBIDDEN
	}

	/** Nothing is required. */
	static final AuthorizationRule NONE = new AuthorizationRule(false, false, false, Set.of(), null);

	private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("signalr", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	private static final @Nullable Class<? extends Annotation> PERMIT_ALL = annotation(
			"jakarta.annotation.security.PermitAll");

	private static final @Nullable Class<? extends Annotation> DENY_ALL = annotation(
			"jakarta.annotation.security.DenyAll");

	private static final @Nullable Class<? extends Annotation> ROLES_ALLOWED = annotation(
			"jakarta.annotation.security.RolesAllowed");

	private final boolean permitAll;

	private final boolean denyAll;

	private final boolean authenticated;

	private final Set<String> anyAuthority;

	private final @Nullable Expression expression;

	AuthorizationRule(boolean permitAll, boolean denyAll, boolean authenticated, Set<String> anyAuthority,
			@Nullable Expression expression) {
		this.permitAll = permitAll;
		this.denyAll = denyAll;
		this.authenticated = authenticated;
		this.anyAuthority = anyAuthority;
		this.expression = expression;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Class<? extends Annotation> annotation(String name) {
		ClassLoader loader = AuthorizationRule.class.getClassLoader();
		return ClassUtils.isPresent(name, loader)
				? (Class<? extends Annotation>) ClassUtils.resolveClassName(name, loader) : null;
	}

	/**
	 * The rule of an annotated element, or {@code null} when it has no security annotation.
	 * @param authenticated whether configuration requires an authenticated user
	 * @param authorities authorities of which configuration requires one (empty: none)
	 */
	static @Nullable AuthorizationRule of(AnnotatedElement element, MethodSecurityExpressionHandler expressions,
			boolean authenticated, List<String> authorities) {
		boolean permitAll = PERMIT_ALL != null && AnnotatedElementUtils.hasAnnotation(element, PERMIT_ALL);
		boolean denyAll = DENY_ALL != null && AnnotatedElementUtils.hasAnnotation(element, DENY_ALL);
		Set<String> anyAuthority = new LinkedHashSet<>(authorities);
		Secured secured = AnnotatedElementUtils.findMergedAnnotation(element, Secured.class);
		if (secured != null) {
			anyAuthority.addAll(Arrays.asList(secured.value()));
		}
		if (ROLES_ALLOWED != null) {
			Annotation roles = AnnotatedElementUtils.findMergedAnnotation(element, ROLES_ALLOWED);
			if (roles != null) {
				for (String role : (String[]) org.springframework.core.annotation.AnnotationUtils.getValue(roles)) {
					anyAuthority.add(role.startsWith("ROLE_") ? role : "ROLE_" + role);
				}
			}
		}
		PreAuthorize preAuthorize = AnnotatedElementUtils.findMergedAnnotation(element, PreAuthorize.class);
		Expression expression = (preAuthorize != null)
				? expressions.getExpressionParser().parseExpression(preAuthorize.value()) : null;
		if (!permitAll && !denyAll && !authenticated && anyAuthority.isEmpty() && expression == null) {
			return null;
		}
		return new AuthorizationRule(permitAll, denyAll, authenticated, Set.copyOf(anyAuthority), expression);
	}

	/**
	 * Checks a caller.
	 * @param target the hub bean, for expressions
	 * @param method the method invoked (or any method of the hub for a hub-level check)
	 * @param arguments the invocation's arguments, for expressions that read them
	 */
	Decision check(@Nullable Authentication authentication, Object target, Method method, Object[] arguments,
			MethodSecurityExpressionHandler expressions) {
		if (this.permitAll) {
			return Decision.GRANTED;
		}
		boolean known = authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken);
		if (this.denyAll) {
			return known ? Decision.FORBIDDEN : Decision.UNAUTHENTICATED;
		}
		if (!known && (this.authenticated || !this.anyAuthority.isEmpty())) {
			return Decision.UNAUTHENTICATED;
		}
		if (!this.anyAuthority.isEmpty() && authentication != null) {
			boolean any = false;
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (this.anyAuthority.contains(authority.getAuthority())) {
					any = true;
					break;
				}
			}
			if (!any) {
				return Decision.FORBIDDEN;
			}
		}
		if (this.expression != null) {
			Authentication subject = known ? authentication : ANONYMOUS;
			EvaluationContext context = expressions.createEvaluationContext(() -> subject,
					new SimpleMethodInvocation(target, method, arguments));
			if (!ExpressionUtils.evaluateAsBoolean(this.expression, context)) {
				return known ? Decision.FORBIDDEN : Decision.UNAUTHENTICATED;
			}
		}
		return Decision.GRANTED;
	}
}
