package io.github.springsignalr.security;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.StringUtils;

import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubMethodArgumentResolver;

/**
 * Supplies {@link AuthenticationPrincipal @AuthenticationPrincipal} hub method parameters (meta-annotations
 * such as {@code @CurrentUser} included) from the principal of the caller's {@link Authentication}, as
 * Spring Security's resolver does for controllers: its {@code expression} is evaluated on the principal,
 * a principal of another type gives {@code null} (or fails the call with {@code errorOnInvalidType}), an
 * anonymous caller gives {@code null}.
 */
public final class AuthenticationPrincipalArgumentResolver implements HubMethodArgumentResolver {

	private final SpelExpressionParser parser = new SpelExpressionParser();

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return annotation(parameter) != null;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, HubCallerContext caller) {
		Principal user = caller.user();
		if (!(user instanceof Authentication authentication)) {
			return null;
		}
		Object principal = authentication.getPrincipal();
		AuthenticationPrincipal annotation = annotation(parameter);
		if (annotation != null && StringUtils.hasLength(annotation.expression()) && principal != null) {
			Expression expression = this.parser.parseExpression(annotation.expression());
			principal = expression.getValue(new StandardEvaluationContext(principal));
		}
		if (principal != null && !parameter.getParameterType().isInstance(principal)) {
			if (annotation != null && annotation.errorOnInvalidType()) {
				throw new ClassCastException(principal + " is not assignable to " + parameter.getParameterType());
			}
			return null;
		}
		return principal;
	}

	private static @Nullable AuthenticationPrincipal annotation(MethodParameter parameter) {
		return AnnotatedElementUtils.findMergedAnnotation(parameter.getParameter(), AuthenticationPrincipal.class);
	}

}
