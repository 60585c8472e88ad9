package io.github.springsignalr.samples.racestatus;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import java.util.List;
import java.util.Objects;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The sample's security: an OAuth2 resource server that accepts HS256 JWTs signed with
 * {@code race.security.jwt-secret} (a random key when unset, so that only this process's
 * {@code /dev/token} can issue tokens) that name their user ({@code sub}) and expire ({@code exp}).
 * The hub's own {@code @PreAuthorize} answers unauthenticated clients with 401; browsers send the token
 * as {@code access_token} on WebSocket and SSE requests, which the starter turns into a bearer header.
 * The timing REST endpoints and the Actuator (but its health) need a token too, so the operator view
 * at {@code /ops.html} asks for one; the rest (the pages, {@code /dev/token}) is open. Stateless: no
 * session, no CSRF token (nothing relies on cookies).
 * <p>
 * For real identity providers, replace the {@link ReactiveJwtDecoder} bean (or remove it and set
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}).
 */
@Configuration(proxyBeanMethods = false)
public class RaceSecurity {

	private static final Log logger = LogFactory.getLog(RaceSecurity.class);

	/** The key tokens are signed and checked with. */
	record SigningKey(SecretKey key) {
	}

	@Bean
	SigningKey raceSigningKey(RaceProperties properties) {
		String secret = properties.security().jwtSecret();
		byte[] bytes;
		if (secret == null || secret.isEmpty()) {
			bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			logger.info("No race.security.jwt-secret set: tokens are checked with a random key of this process");
		}
		else {
			bytes = secret.getBytes(StandardCharsets.UTF_8);
			if (bytes.length < 32) {
				throw new IllegalStateException("race.security.jwt-secret must be at least 32 bytes for HS256");
			}
		}
		return new SigningKey(new SecretKeySpec(bytes, "HmacSHA256"));
	}

	@Bean
	ReactiveJwtDecoder raceJwtDecoder(SigningKey key) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(key.key()).build();
		decoder.setJwtValidator(requiredClaims());
		return decoder;
	}

	/**
	 * The default checks (expiry and not-before when present) and that the token expires and names
	 * its user: a token without {@code exp} would be good forever, one without {@code sub} for nobody.
	 */
	static OAuth2TokenValidator<Jwt> requiredClaims() {
		return JwtValidators.createDefaultWithValidators(List.<OAuth2TokenValidator<Jwt>>of(
				new JwtClaimValidator<@Nullable Object>(JwtClaimNames.EXP, Objects::nonNull),
				new JwtClaimValidator<@Nullable Object>(JwtClaimNames.SUB,
						(subject) -> subject instanceof String name && !name.isBlank())));
	}

	@Bean
	SecurityWebFilterChain raceSecurityFilterChain(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.pathMatchers("/status/v2/**", "/actuator/**")
				.authenticated()
				.pathMatchers(HttpMethod.OPTIONS)
				.permitAll()
				.anyExchange()
				.permitAll())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> {
			}))
			.build();
	}
}
