package io.github.springsignalr.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import io.reactivex.rxjava3.core.Single;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import io.github.springsignalr.Hub;

/**
 * A new application secured the usual way ({@code anyExchange().authenticated()}, a JWT resource
 * server) with {@link SignalRServerHttpSecurity} applied in one line and no CSRF matcher of its own: an
 * anonymous client of its secured hub gets SignalR's 401, a bearer token gets in, and the hub's methods
 * take the caller's {@code Authentication}, {@code @AuthenticationPrincipal} and {@code Jwt}. The rest
 * of the application keeps its CSRF protection, with the resource server's bearer-token exemption.
 */
class SignalRServerHttpSecurityIntegrationTests {

	/** Generous: the first bearer request loads the resource server's classes, slow on a busy machine. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hubs.SecureHub.authenticated=true")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	private static HttpResponse<String> post(String path, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anonymousNegotiateOfSecuredHubIsUnauthorized() throws Exception {
		assertThat(post("/secure/negotiate?negotiateVersion=1", null).statusCode()).isEqualTo(401);
	}

	/**
	 * Refused and accepted negotiates one after the other on one keep-alive connection, each sent as soon
	 * as the previous answer arrived: Reactor Netty 1.3.7 buffered such a request when the previous one's
	 * operations had not terminated yet and then stopped reading the connection (reactor/reactor-netty#4361),
	 * so about one run in three of this class hung here until the client timed out.
	 */
	@Test
	void quickRequestsOnOneKeepAliveConnectionAreAllAnswered() throws Exception {
		for (int i = 0; i < 200; i++) {
			assertThat(post("/secure/negotiate?negotiateVersion=1", (i % 3 == 0) ? "forged" : null).statusCode())
				.as("refused negotiate %d", i)
				.isEqualTo(401);
			assertThat(post("/secure/negotiate?negotiateVersion=1", "good-alice").statusCode())
				.as("accepted negotiate %d", i)
				.isEqualTo(200);
		}
	}

	@Test
	void negotiateWithBearerTokenSucceeds() throws Exception {
		HttpResponse<String> response = post("/secure/negotiate?negotiateVersion=1", "good-alice");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"connectionToken\"");
	}

	@Test
	void negotiateWithInvalidBearerTokenIsUnauthorized() throws Exception {
		assertThat(post("/secure/negotiate?negotiateVersion=1", "forged").statusCode()).isEqualTo(401);
	}

	@Test
	void otherPostsKeepCsrfProtectionButNotForBearerTokens() throws Exception {
		assertThat(post("/api/echo", null).statusCode()).as("anonymous, without CSRF token").isEqualTo(403);
		assertThat(post("/api/echo", "good-alice").statusCode()).as("with a bearer token").isEqualTo(200);
	}

	@Test
	void hubMethodsTakeTheCallersAuthenticationPrincipalAndToken() {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/secure")
			.withAccessTokenProvider(Single.just("good-alice"))
			.build();
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThat(client.invoke(String.class, "WhoAmI", "hi").blockingGet())
				.isEqualTo("hi alice: principal alice, token scope chat, caller alice");
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebFluxSecurity
	@Import(SecureHub.class)
	static class SecuredApplication {

		@Bean
		SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, SignalRServerHttpSecurity signalR) {
			return signalR.apply(http)
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> {
				}))
				.build();
		}

		/** Accepts {@code good-<user>}; a real application reads a signed JWT. */
		@Bean
		ReactiveJwtDecoder jwtDecoder() {
			return (token) -> token.startsWith("good-")
					? Mono.just(Jwt.withTokenValue(token)
						.header("alg", "none")
						.subject(token.substring(5))
						.claim("scope", "chat")
						.build())
					: Mono.error(new BadJwtException("Not a good token"));
		}

		@Bean
		RouterFunction<ServerResponse> echo() {
			return RouterFunctions.route().POST("/api/echo", (request) -> ServerResponse.ok().bodyValue("ok")).build();
		}

	}

	@Hub("/secure")
	static class SecureHub {

		public String whoAmI(String greeting, Authentication authentication, @AuthenticationPrincipal Jwt principal,
				Jwt token, Principal caller) {
			return greeting + " " + authentication.getName() + ": principal " + principal.getSubject()
					+ ", token scope " + token.getClaimAsString("scope") + ", caller " + caller.getName();
		}

	}

}
