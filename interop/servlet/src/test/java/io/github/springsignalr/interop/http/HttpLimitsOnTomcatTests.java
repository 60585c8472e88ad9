package io.github.springsignalr.interop.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signalr.http.*} shortened to a second on Tomcat ({@code TomcatHttpLimits}): a connection idle
 * between requests and one that never sends a request are closed, while a Server-Sent Events stream, a
 * held long poll and a WebSocket, each quiet for longer, are not cut; what Tomcat cannot enforce as the
 * Reactor Netty server does (the minimum body data rate; the headers timeout as a whole) is said at
 * startup. {@link HttpRequestTimeoutsTests} is the WebFlux twin.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = HttpRequestTimeoutsTests.TimeoutsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "signalr.http.keep-alive-timeout=1s", "signalr.http.request-headers-timeout=1s",
				"signalr.http.min-request-body-data-rate=1000", "signalr.http.min-request-body-data-rate-grace-period=1s",
				"signalr.long-polling.poll-timeout=4s" })
class HttpLimitsOnTomcatTests {

	/** Well past every shortened timeout: a connection that is still open then was not cut. */
	private static final Duration PAST_TIMEOUTS = Duration.ofSeconds(3);

	/** Longest a test waits for a close that should come after about a second. */
	private static final Duration BOUND = Duration.ofSeconds(6);

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();

	@Test
	void closesConnectionIdleBetweenRequestsAfterTheKeepAliveTimeout() throws Exception {
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			raw.write("POST /security-open/negotiate?negotiateVersion=1 HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Length: 0\r\n\r\n");
			assertThat(raw.readResponse()).startsWith("HTTP/1.1 200 ").contains("connectionToken");
			long start = System.nanoTime();
			assertThat(raw.readUntilClosed()).as("closed within %s", BOUND).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
					Duration.ofSeconds(3));
		}
	}

	@Test
	void closesConnectionThatSendsNoRequestAfterTheRequestHeadersTimeout() throws Exception {
		try (RawHttp neverSpoke = new RawHttp(this.port, BOUND)) {
			long start = System.nanoTime();
			assertThat(neverSpoke.readUntilClosed()).as("closed within %s", BOUND).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
					Duration.ofSeconds(3));
		}
	}

	@Test
	void closesConnectionWhoseHeadersStallPastTheRequestHeadersTimeout() throws Exception {
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			raw.write("POST /security-open/negotiate?negotiateVersion=1 HTTP/1.1\r\nHost: local");
			long start = System.nanoTime();
			String received = raw.readUntilClosed();
			// closed without an answer: Tomcat sends no 408 on a read timeout, as the INFO line says
			assertThat(received).as("closed within %s", BOUND).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
					Duration.ofSeconds(3));
		}
	}

	@Test
	void saysAtStartupWhatTomcatDoesNotEnforce(CapturedOutput output) {
		assertThat(output.getOut()).contains(" INFO ")
			.contains("signalr.http.min-request-body-data-rate=1000 (bytes/s, after 1000 ms) has no Tomcat equivalent "
					+ "and is not enforced")
			.contains("signalr.http.request-headers-timeout=1000 ms is Tomcat's connection timeout");
	}

	@Test
	void keepsServerSentEventsStreamOpenPastTheTimeouts() throws Exception {
		String token = negotiate();
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			raw.write("GET /security-open?id=" + token + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n\r\n");
			assertThat(raw.readHead()).startsWith("HTTP/1.1 200 ").containsIgnoringCase("text/event-stream");
			assertThat(raw.staysOpen(PAST_TIMEOUTS)).isTrue();
			assertThat(raw.staysOpen(PAST_TIMEOUTS)).isTrue();
		}
	}

	@Test
	void keepsLongPollHeldPastTheTimeoutsUntilThePollTimeout() throws Exception {
		String token = negotiate();
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			String poll = "GET /security-open?id=" + token + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
			raw.write(poll);
			assertThat(raw.readResponse()).startsWith("HTTP/1.1 200 ");
			raw.write(poll);
			long start = System.nanoTime();
			assertThat(raw.readResponse()).startsWith("HTTP/1.1 200 ");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(3500));
		}
	}

	@Test
	void keepsQuietWebSocketOpenPastTheTimeouts() throws Exception {
		StringBuilder received = new StringBuilder();
		CompletableFuture<String> completion = new CompletableFuture<>();
		WebSocket socket = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/security-open"), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					received.append(data);
					if (received.indexOf("\"invocationId\":\"1\"") >= 0) {
						completion.complete(received.toString());
					}
					webSocket.request(1);
					return null;
				}

				@Override
				public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
					completion.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
					return null;
				}
			})
			.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
		Thread.sleep(PAST_TIMEOUTS.toMillis());
		socket.sendText("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"still here\"]}\u001e",
				true).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(completion.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).contains("still here");
		socket.abort();
	}

	private String negotiate() throws IOException, InterruptedException {
		HttpResponse<String> response = this.client.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/security-open/negotiate?negotiateVersion=1"))
			.timeout(BOUND)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body()).get("connectionToken").asString();
	}
}
