package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The chat switched to require login by configuration alone ({@code signalr.hubs.ChatHub.authenticated}
 * and {@code spring.security.user.*}, as the README shows): anonymous JavaScript clients get 401, clients
 * logged in with HTTP basic chat, and the page asks browsers to log in.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"signalr.hubs.ChatHub.authenticated=true", "spring.security.user.name=ada",
		"spring.security.user.password=lovelace" })
class SecuredChatTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Test
	void anonymousClientGetsUnauthorizedAndLoggedInClientsChatOnEveryTransport() throws Exception {
		NodeScript.Result result = NodeScript.run("secured-chat.cjs", Duration.ofSeconds(90),
				"http://localhost:" + this.port, "ada", "lovelace");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("secured chat passed");
	}

	@Test
	void pageRedirectsBrowsersToTheLoginFormAndOpensWithCredentials() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		HttpResponse<String> anonymous = client.send(page().header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(302);
		assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(URI.create(location).getPath()).isEqualTo("/login"));
		String credentials = Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> loggedIn = client.send(page().header("Authorization", "Basic " + credentials).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.statusCode()).isEqualTo(200);
		assertThat(loggedIn.body()).contains("lib/signalr/signalr.min.js");
	}

	private HttpRequest.Builder page() {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/")).timeout(TIMEOUT);
	}
}
