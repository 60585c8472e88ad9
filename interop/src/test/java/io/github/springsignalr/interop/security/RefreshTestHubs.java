package io.github.springsignalr.interop.security;

import java.security.Principal;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnAuthenticationRefreshed;

/**
 * Hubs of the authentication refresh tests and an application policy that rejects the refresh of a
 * suspended user (one whose new token has the scope {@code suspended}). A test configuration, so that
 * only the tests that import it have them.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ RefreshTestHubs.RefreshHub.class, RefreshTestHubs.RefreshOpenHub.class })
public class RefreshTestHubs {

	@Bean
	AuthenticationRefreshPolicy suspendedUsersMayNotRefresh() {
		return (refresh) -> !(refresh.newUser() instanceof Authentication user && user.getAuthorities()
			.stream()
			.anyMatch((authority) -> "SCOPE_suspended".equals(authority.getAuthority())));
	}

	/** The id ({@code jti}) of the caller's token: which of its tokens a connection has. */
	static @Nullable String tokenId(@Nullable Principal user) {
		return (user instanceof JwtAuthenticationToken token) ? token.getToken().getId() : null;
	}

	/** Any authenticated user may connect; one method asks for the scope {@code admin}. */
	@Hub("/refresh-hub")
	@PreAuthorize("isAuthenticated()")
	public static class RefreshHub {

		public @Nullable String tokenId(Principal user) {
			return RefreshTestHubs.tokenId(user);
		}

		public @Nullable String whoAmI(HubCallerContext context) {
			return context.userIdentifier();
		}

		@PreAuthorize("hasAuthority('SCOPE_admin')")
		public String adminOnly() {
			return "admin";
		}

		/** Takes its time: the principal it was called with is the one it keeps. */
		public Mono<String> slowTokenId(Principal user) {
			return Mono.delay(Duration.ofMillis(1500)).map((tick) -> String.valueOf(RefreshTestHubs.tokenId(user)));
		}

		public Mono<Void> notifyUser(String user, String text, HubCallerClients clients) {
			return clients.user(user).send("notify", text);
		}

		@OnAuthenticationRefreshed
		public Mono<Void> refreshed(HubCallerContext context, HubCallerClients clients) {
			return clients.caller().send("refreshed", String.valueOf(RefreshTestHubs.tokenId(context.user())));
		}
	}

	/** No authorization at all: a refresh must still be authenticated. */
	@Hub("/refresh-open")
	public static class RefreshOpenHub {

		public @Nullable String whoAmI(HubCallerContext context) {
			return context.userIdentifier();
		}
	}
}
