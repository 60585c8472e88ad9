package io.github.springsignalr.servlet;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Hub;
import io.github.springsignalr.security.SignalRHttpSecurity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic ASP.NET SignalR 2 endpoint in a Spring MVC application on Tomcat secured the usual way
 * ({@code anyRequest().authenticated()}, CSRF, a JWT resource server) with {@link SignalRHttpSecurity}:
 * its paths reach the hubs' own authorization (401 for an anonymous client of a secured hub, a bearer
 * token gets in), a connection token is bound to its user (the reference's 403 for another), anonymous
 * classic clients use an open hub through CSRF, and a forever frame may be framed by its page although
 * Spring Security denies framing elsewhere.
 */
class LegacyEndpointSecurityTomcatTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final String SECURE = q("[{\"name\":\"securehub\"}]");

	private static final String OPEN = q("[{\"name\":\"openhub\"}]");

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.legacy.enabled=true",
					"signalr.hubs.SecureHub.authenticated=true")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	private static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> get(String path, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(TIMEOUT);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String path, String form) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void securedHubRefusesAnonymousNegotiateAndBindsTheConnectionTokenToItsUser() throws Exception {
		assertThat(get("/signalr/negotiate?clientProtocol=2.1&connectionData=" + SECURE, null).statusCode())
			.isEqualTo(401);
		HttpResponse<String> negotiated = get("/signalr/negotiate?clientProtocol=2.1&connectionData=" + SECURE,
				"good-alice");
		assertThat(negotiated.statusCode()).isEqualTo(200);
		JsonNode negotiate = MAPPER.readTree(negotiated.body());
		String query = "transport=longPolling&clientProtocol=2.1&connectionData=" + SECURE + "&connectionToken="
				+ q(negotiate.get("ConnectionToken").asString());
		HttpResponse<String> connect = get("/signalr/connect?" + query, "good-alice");
		assertThat(connect.statusCode()).isEqualTo(200);
		assertThat(connect.body()).contains("\"S\":1");
		HttpResponse<String> other = get("/signalr/connect?" + query, "good-bob");
		assertThat(other.statusCode()).isEqualTo(403);
		assertThat(other.body()).isEqualTo(
				"Unrecognized user identity.  The user identity cannot change during an active SignalR connection.");
		assertThat(get("/signalr/abort?" + query, "good-alice").statusCode()).isEqualTo(200);
	}

	@Test
	void anonymousClassicClientsUseAnOpenHubThroughCsrfAndForeverFramesMayBeFramed() throws Exception {
		HttpResponse<String> negotiated = get("/signalr/negotiate?clientProtocol=2.1&connectionData=" + OPEN, null);
		assertThat(negotiated.statusCode()).isEqualTo(200);
		String query = "clientProtocol=2.1&connectionData=" + OPEN + "&connectionToken="
				+ q(MAPPER.readTree(negotiated.body()).get("ConnectionToken").asString());
		assertThat(post("/signalr/connect?transport=longPolling&" + query, "").statusCode()).isEqualTo(200);
		HttpResponse<String> sent = post("/signalr/send?transport=longPolling&" + query,
				"data=" + q("{\"H\":\"openhub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).isEqualTo("{\"I\":\"0\",\"R\":\"x\"}");
		// Spring Security denies framing by default; the forever frame is framed by its own page
		HttpResponse<java.io.InputStream> frame = HTTP.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/signalr/connect?transport=foreverFrame&frameId=1&"
					+ query))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(frame.statusCode()).isEqualTo(200);
		assertThat(frame.headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
		frame.body().close();
		assertThat(post("/signalr/abort?transport=foreverFrame&" + query, "").statusCode()).isEqualTo(200);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SecureHub.class, OpenHub.class })
	static class SecuredApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SignalRHttpSecurity signalR) throws Exception {
			return signalR.apply(http)
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/error").permitAll()
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

	@Hub(value = "/classic-secure", name = "SecureHub")
	static class SecureHub {

		public String echo(String text) {
			return text;
		}
	}

	@Hub(value = "/classic-open", name = "OpenHub")
	static class OpenHub {

		public String echo(String text) {
			return text;
		}
	}
}
