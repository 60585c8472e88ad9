package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

import io.github.springsignalr.interop.InteropSecurity;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;

/**
 * Without {@code signalr.cors.allowed-origins}, a browser's cookies are good from the server's own
 * origin only: a WebSocket upgrade or a Server-Sent Events stream that carries cookies from another
 * site's page is refused with 403 (cross-site WebSocket hijacking), while the same origin with cookies
 * and any origin without cookies (bearer tokens, non-browser clients) connect.
 */
@SpringBootTest(classes = SameOriginTests.SameOriginApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SameOriginTests {

	private static final String EVIL = "https://evil.example";

	private static final String COOKIE = "SESSION=a-logged-in-users-session";

	@LocalServerPort
	private int port;

	private SecurityHttp http;

	@BeforeEach
	void client() {
		this.http = new SecurityHttp(this.port);
	}

	@Test
	void webSocketUpgradeWithCookiesFromAnotherOriginIsForbidden() {
		assertThat(this.http.refusedWebSocketStatus("/security-open", Map.of("Origin", EVIL, "Cookie", COOKIE)))
			.isEqualTo(403);
		String token = this.http.negotiate("/security-open", null).get("connectionToken").asString();
		assertThat(this.http.refusedWebSocketStatus("/security-open?id=" + token,
				Map.of("Origin", EVIL, "Cookie", COOKIE)))
			.isEqualTo(403);
	}

	@Test
	void serverSentEventsWithCookiesFromAnotherOriginIsForbidden() throws Exception {
		String token = this.http.negotiate("/security-open", null).get("connectionToken").asString();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(this.http.uri("/security-open?id=" + token))
				.timeout(SecurityHttp.TIMEOUT)
				.header("Accept", "text/event-stream")
				.header("Origin", EVIL)
				.header("Cookie", COOKIE)
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		response.body().close();
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void webSocketWithCookiesFromTheSameOriginConnects() {
		echoes(Map.of("Origin", "http://localhost:" + this.port, "Cookie", COOKIE));
	}

	@Test
	void webSocketWithoutCookiesFromAnotherOriginConnects() {
		echoes(Map.of("Origin", EVIL));
		String token = this.http.token("testuser");
		echoes(Map.of("Origin", EVIL, "Authorization", "Bearer " + token));
	}

	private void echoes(Map<String, String> headers) {
		RecordingSocket socket = this.http.openWebSocket("/security-open", headers);
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "Echo", "hello"));
		assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString()).isEqualTo("hello");
		socket.close();
	}

	/** The interop security and the open hub, without the interop routes (whose filter answers every origin). */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ InteropSecurity.class, SecurityTestHubs.OpenHub.class })
	static class SameOriginApplication {

	}
}
