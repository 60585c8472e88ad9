package io.github.springsignalr.interop.security;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;

/**
 * Hubs the security tests secure in different ways, under {@code /security-*}. A test configuration,
 * so that only the tests that import it have them; the interop tokens carry no roles, so every user
 * is a non-admin for {@code ADMIN} rules and {@code admin} (by name) is the only "administrator".
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ SecurityTestHubs.SecuredMethodsHub.class, SecurityTestHubs.AdminHub.class,
		SecurityTestHubs.ConfiguredHub.class, SecurityTestHubs.ConfiguredAuthorityHub.class,
		SecurityTestHubs.OpenHub.class })
public class SecurityTestHubs {

	/** Properties for {@link ConfiguredHub} and {@link ConfiguredAuthorityHub}. */
	public static final String CONFIGURATION = "signalr.hubs.ConfiguredHub.authenticated=true";

	/** Property for {@link ConfiguredAuthorityHub}. */
	public static final String AUTHORITY_CONFIGURATION = "signalr.hubs.ConfiguredAuthorityHub.authorities=ROLE_ADMIN";

	/** Any authenticated user may connect; some methods ask for more. */
	@Hub("/security-methods")
	@PreAuthorize("isAuthenticated()")
	public static class SecuredMethodsHub {

		/** No rule of its own: the class's applies. */
		public @Nullable String whoAmI(HubCallerContext context) {
			return context.userIdentifier();
		}

		@RolesAllowed("ADMIN")
		public String rolesAllowedAdmin() {
			return "admin only (RolesAllowed)";
		}

		@PreAuthorize("hasRole('ADMIN')")
		public String preAuthorizeAdmin() {
			return "admin only (PreAuthorize)";
		}

		@PreAuthorize("authentication.name == 'admin'")
		public String adminByName() {
			return "hello admin";
		}

		@PreAuthorize("#text.length() <= 5")
		public String shortEcho(String text) {
			return text;
		}

		@PermitAll
		public String permitted() {
			return "permitted";
		}

		@DenyAll
		public String denied() {
			return "never";
		}
	}

	/** Only users with the role ADMIN may negotiate or connect. */
	@Hub("/security-admin")
	@RolesAllowed("ADMIN")
	public static class AdminHub {

		@PermitAll
		public String echo(String message) {
			return message;
		}
	}

	/** No annotation: {@code signalr.hubs.ConfiguredHub.authenticated=true} secures it. */
	@Hub("/security-configured")
	public static class ConfiguredHub {

		public String echo(String message) {
			return message;
		}
	}

	/** No annotation: {@code signalr.hubs.ConfiguredAuthorityHub.authorities=ROLE_ADMIN} secures it. */
	@Hub("/security-configured-authority")
	public static class ConfiguredAuthorityHub {

		public String echo(String message) {
			return message;
		}
	}

	/** Open to everyone; tells who is calling. */
	@Hub("/security-open")
	public static class OpenHub {

		public String whoAmI(HubCallerContext context) {
			String user = context.userIdentifier();
			return (user != null) ? user : "anonymous";
		}

		public String echo(String message) {
			return message;
		}
	}
}
