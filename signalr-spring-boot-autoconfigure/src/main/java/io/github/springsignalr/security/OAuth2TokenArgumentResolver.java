package io.github.springsignalr.security;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubMethodArgumentResolver;

/**
 * Supplies hub method parameters of an OAuth 2 token type ({@code Jwt}, {@code OAuth2AccessToken}) with
 * the token the caller authenticated with, when a resource server authenticated it; {@code null} for a
 * caller authenticated otherwise or anonymous.
 */
public final class OAuth2TokenArgumentResolver implements HubMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return AbstractOAuth2Token.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, HubCallerContext caller) {
		Principal user = caller.user();
		if (user instanceof AbstractOAuth2TokenAuthenticationToken<?> authentication
				&& parameter.getParameterType().isInstance(authentication.getToken())) {
			return authentication.getToken();
		}
		return null;
	}

}
