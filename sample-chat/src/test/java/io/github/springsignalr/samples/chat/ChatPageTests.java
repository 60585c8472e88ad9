package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The static side of the sample: the page and the SignalR client library it loads. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@LocalServerPort
	private int port;

	@Test
	void servesChatPageAtRoot() throws Exception {
		HttpResponse<String> response = get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("<title>SignalR chat</title>")
			.contains("lib/signalr/signalr.min.js")
			.contains("chat.js");
	}

	@Test
	void servesPageScriptThatConnectsToChatHubWithAutomaticReconnect() throws Exception {
		HttpResponse<String> response = get("/chat.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"/chat?name=\"").contains(".withAutomaticReconnect()");
	}

	@Test
	void servesSignalRClientLibraryFromNpm() throws Exception {
		HttpResponse<String> response = get("/lib/signalr/signalr.min.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).contains("javascript"));
		assertThat(response.body()).contains("HubConnectionBuilder").hasSizeGreaterThan(10_000);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}
}
