package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.interop.AuthorizedHub;
import io.github.springsignalr.interop.InteropSecurity;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;

/**
 * {@code signalr.cors.allowed-origins} on a server without the interop routes (whose filter answers
 * every origin): pre-flights and requests from other origins are refused, the allowed origin gets
 * the CORS headers, and WebSocket upgrades from other origins get 403.
 */
@SpringBootTest(classes = CorsAndOriginTests.CorsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.cors.allowed-origins=https://good.example")
class CorsAndOriginTests {

	private static final String GOOD = "https://good.example";

	private static final String EVIL = "https://evil.example";

	@LocalServerPort
	private int port;

	private SecurityHttp http;

	@BeforeEach
	void client() {
		this.http = new SecurityHttp(this.port);
	}

	@Test
	void webSocketUpgradeFromOriginNotAllowedIsForbidden() {
		assertThat(this.http.refusedWebSocketStatus("/security-open", Map.of("Origin", EVIL))).isEqualTo(403);
		String token = this.http.token("testuser");
		assertThat(this.http.refusedWebSocketStatus("/authorizedhub?access_token=" + token, Map.of("Origin", EVIL)))
			.isEqualTo(403);
	}

	@Test
	void webSocketUpgradeFromAllowedOriginOrWithoutOriginIsAccepted() {
		for (Map<String, String> headers : java.util.List.of(Map.of("Origin", GOOD), Map.<String, String>of())) {
			RecordingSocket socket = this.http.openWebSocket("/security-open", headers);
			socket.handshake();
			socket.send(SecurityHttp.invocation("1", "Echo", "from " + headers));
			assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString())
				.isEqualTo("from " + headers);
			socket.close();
		}
	}

	@Test
	void webSocketUpgradeWithCookiesFromAllowedOriginIsAcceptedAndFromOtherOriginsForbidden() {
		RecordingSocket socket = this.http.openWebSocket("/security-open", Map.of("Origin", GOOD, "Cookie", "SESSION=s"));
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "Echo", "with cookies"));
		assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString()).isEqualTo("with cookies");
		socket.close();
		assertThat(this.http.refusedWebSocketStatus("/security-open", Map.of("Origin", EVIL, "Cookie", "SESSION=s")))
			.isEqualTo(403);
	}

	@Test
	void preflightFromOriginNotAllowedIsRejectedWithoutCorsHeaders() {
		HttpResponse<String> response = this.http.send("OPTIONS", "/authorizedhub/negotiate?negotiateVersion=1", null,
				Map.of("Origin", EVIL, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
						"authorization,x-requested-with,x-signalr-user-agent"),
				"");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
	}

	@Test
	void preflightFromAllowedOriginGetsCorsHeadersForSignalRRequests() {
		HttpResponse<String> response = this.http.send("OPTIONS", "/authorizedhub/negotiate?negotiateVersion=1", null,
				Map.of("Origin", GOOD, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
						"authorization,x-requested-with,x-signalr-user-agent"),
				"");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(GOOD);
		assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
		assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
		assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
			.contains("authorization", "x-requested-with", "x-signalr-user-agent");
	}

	@Test
	void negotiateFromOriginNotAllowedIsRejectedAndFromAllowedOriginCarriesCorsHeaders() {
		String token = this.http.token("testuser");
		HttpResponse<String> evil = this.http.send("POST", "/authorizedhub/negotiate?negotiateVersion=1", token,
				Map.of("Origin", EVIL), "");
		assertThat(evil.statusCode()).isEqualTo(403);
		assertThat(evil.body()).doesNotContain("connectionToken");
		HttpResponse<String> good = this.http.send("POST", "/authorizedhub/negotiate?negotiateVersion=1", token,
				Map.of("Origin", GOOD), "");
		assertThat(good.statusCode()).isEqualTo(200);
		assertThat(good.body()).contains("connectionToken");
		assertThat(good.headers().firstValue("Access-Control-Allow-Origin")).hasValue(GOOD);
		assertThat(good.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
	}

	/** The interop security and hubs, without the interop routes. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ InteropSecurity.class, AuthorizedHub.class, SecurityTestHubs.OpenHub.class })
	static class CorsApplication {

	}
}
