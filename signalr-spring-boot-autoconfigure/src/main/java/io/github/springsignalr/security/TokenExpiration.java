package io.github.springsignalr.security;

import java.security.Principal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/** Reads when a connection's bearer token (a JWT or an introspected token) expires. */
public final class TokenExpiration {

	private TokenExpiration() {
	}

	/** The expiry of the principal's token, or {@code null} when it has none. */
	public static @Nullable Instant of(Principal principal) {
		if (principal instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			return token.getToken().getExpiresAt();
		}
		return null;
	}
}
