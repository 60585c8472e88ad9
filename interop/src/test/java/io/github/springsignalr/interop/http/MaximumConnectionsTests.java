package io.github.springsignalr.interop.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.interop.InteropSecurity;
import io.github.springsignalr.interop.security.SecurityTestHubs;

/**
 * {@code signalr.maximum-connections=2}: with two WebSockets open, negotiate and a WebSocket without
 * negotiate are answered 503 with a text and one warning is logged; once one closes, a new connection
 * is accepted.
 */
@SpringBootTest(classes = MaximumConnectionsTests.LimitedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "signalr.maximum-connections=2")
@ExtendWith(OutputCaptureExtension.class)
class MaximumConnectionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String REFUSAL = "Server has reached its maximum number of connections.";

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@Test
	void refusesNewConnectionsWith503PastTheMaximumAndAcceptsThemAgainWhenOneCloses(CapturedOutput output)
			throws Exception {
		WebSocket first = webSocket();
		WebSocket second = webSocket();

		HttpResponse<String> negotiate = negotiate();
		assertThat(negotiate.statusCode()).isEqualTo(503);
		assertThat(negotiate.body()).isEqualTo(REFUSAL);
		assertThat(negotiate().statusCode()).isEqualTo(503);
		try {
			webSocket().abort();
			throw new AssertionError("a WebSocket past the maximum was accepted");
		}
		catch (CompletionException | ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(WebSocketHandshakeException.class);
			assertThat(((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode()).isEqualTo(503);
		}
		assertThat(output.getOut().split("Refusing new connections", -1)).as(output.getOut()).hasSize(2);
		assertThat(output.getOut()).contains("signalr.maximum-connections=2");

		first.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		HttpResponse<String> again = negotiate();
		while (again.statusCode() == 503 && System.nanoTime() < deadline) {
			Thread.sleep(50);
			again = negotiate();
		}
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("connectionToken");
		second.abort();
	}

	private WebSocket webSocket() throws Exception {
		WebSocket socket = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/security-open"), new WebSocket.Listener() {
			})
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return socket;
	}

	private HttpResponse<String> negotiate() throws Exception {
		return this.client.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/security-open/negotiate?negotiateVersion=1"))
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	/** The interop security and the open hub at {@code /security-open}. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ InteropSecurity.class, SecurityTestHubs.OpenHub.class })
	static class LimitedApplication {

	}
}
