package io.github.springsignalr.interop;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The test server's authentication: HS256 JWTs signed with a key made at startup, valid 5 seconds
 * (or {@code lifetime} seconds), naming the user in the {@code nameid} claim and with the {@code scope}
 * asked for (authorities {@code SCOPE_<scope>}), issued by {@code GET /generateJwtToken}. Every route is
 * open; {@code /authorizedhub} asks for authentication with its own annotation. The resource server is
 * configured for the web stack the server runs on.
 */
@Configuration(proxyBeanMethods = false)
public class InteropSecurity {

	/** The key tokens are signed with, made at startup. */
	record SigningKey(byte[] bytes) {
	}

	@Bean
	SigningKey interopSigningKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return new SigningKey(key);
	}

	/** The resource server on WebFlux. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class Reactive {

		@Bean
		SecurityWebFilterChain interopSecurityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder) {
			JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
			converter.setPrincipalClaimName("nameid");
			return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtDecoder(decoder)
					.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter))))
				.build();
		}

		@Bean
		ReactiveJwtDecoder interopJwtDecoder(SigningKey key) {
			return NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(key.bytes(), "HmacSHA256")).build();
		}

	}

	/** The same resource server on Spring MVC (interop/servlet). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class Servlet {

		@Bean
		SecurityFilterChain interopServletSecurityFilterChain(HttpSecurity http, JwtDecoder decoder) throws Exception {
			JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
			converter.setPrincipalClaimName("nameid");
			return http.csrf(AbstractHttpConfigurer::disable)
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.decoder(decoder)
					.jwtAuthenticationConverter(converter)))
				.build();
		}

		@Bean
		JwtDecoder interopServletJwtDecoder(SigningKey key) {
			return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key.bytes(), "HmacSHA256")).build();
		}

	}

	/** Issues tokens as plain text. */
	@RestController
	static class TokenController {

		private final byte[] key;

		TokenController(SigningKey key) {
			this.key = key.bytes();
		}

		@GetMapping("/generateJwtToken")
		String generateJwtToken(@RequestParam(defaultValue = "testuser") String user,
				@RequestParam(defaultValue = "5") long lifetime, @RequestParam(required = false) @Nullable String scope)
				throws JOSEException {
			Instant now = Instant.now();
			JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("SignalRTestServer")
				.audience("SignalRTests")
				.claim("nameid", user)
				.jwtID(UUID.randomUUID().toString())
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(lifetime)));
			if (scope != null) {
				claims.claim("scope", scope);
			}
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
			jwt.sign(new MACSigner(this.key));
			return jwt.serialize();
		}
	}
}
