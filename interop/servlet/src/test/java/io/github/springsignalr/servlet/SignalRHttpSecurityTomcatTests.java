package io.github.springsignalr.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.springsignalr.Hub;
import io.github.springsignalr.security.SignalRHttpSecurity;

/**
 * A new Spring MVC application on Tomcat secured the usual way ({@code anyRequest().authenticated()}, a
 * JWT resource server) with {@link SignalRHttpSecurity} applied in one line and no CSRF matcher of its own:
 * an anonymous client of its secured hub gets SignalR's 401, a bearer token gets in (negotiate and the
 * Java client over WebSockets), anonymous clients reach its open hub, and the rest of the application keeps its CSRF protection, with the
 * resource server's bearer-token exemption.
 */
class SignalRHttpSecurityTomcatTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.SERVLET)
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
	void anonymousNegotiateOfTheSecuredHubIsUnauthorized() throws Exception {
		assertThat(post("/secure/negotiate?negotiateVersion=1", null).statusCode()).isEqualTo(401);
	}

	/** Only the customizer lets an anonymous POST through {@code anyRequest().authenticated()} and CSRF. */
	@Test
	void anonymousClientsReachAnOpenHubOfTheSecuredApplication() throws Exception {
		assertThat(post("/open/negotiate?negotiateVersion=1", null).statusCode()).isEqualTo(200);
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/open").build();
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThat(client.invoke(String.class, "Echo", "anyone").blockingGet()).isEqualTo("anyone");
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Test
	void negotiateWithABearerTokenSucceeds() throws Exception {
		HttpResponse<String> response = post("/secure/negotiate?negotiateVersion=1", "good-alice");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"connectionToken\"");
	}

	@Test
	void otherPostsKeepCsrfProtectionButNotForBearerTokens() throws Exception {
		// an open endpoint: only CSRF protection can refuse an anonymous POST there
		assertThat(post("/api/open", null).statusCode()).as("anonymous, without CSRF token").isEqualTo(403);
		assertThat(post("/api/open", "good-alice").statusCode()).as("with a bearer token").isEqualTo(200);
	}

	@Test
	void theJavaClientCallsTheSecuredHubWithItsToken() {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/secure")
			.withAccessTokenProvider(Single.just("good-alice"))
			.build();
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThat(client.invoke(String.class, "Echo", "hi").blockingGet()).isEqualTo("hi");
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SecureHub.class, OpenHub.class, EchoController.class })
	static class SecuredApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SignalRHttpSecurity signalR) throws Exception {
			return signalR.apply(http)
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/open", "/error").permitAll()
					.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
				.build();
		}

		/** Accepts {@code good-<user>}; a real application reads a signed JWT. */
		@Bean
		JwtDecoder jwtDecoder() {
			return (token) -> {
				if (!token.startsWith("good-")) {
					throw new BadJwtException("Not a good token");
				}
				return Jwt.withTokenValue(token).header("alg", "none").subject(token.substring(5)).build();
			};
		}

	}

	@RestController
	static class EchoController {

		@PostMapping("/api/open")
		String echo() {
			return "ok";
		}

	}

	@Hub("/open")
	static class OpenHub {

		public String echo(String text) {
			return text;
		}

	}

	@Hub("/secure")
	static class SecureHub {

		public String echo(String text) {
			return text;
		}

	}

}
