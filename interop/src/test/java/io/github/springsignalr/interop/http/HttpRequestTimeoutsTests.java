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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signalr.http.*} shortened to a second: a client sending its headers a byte at a time, a
 * connection idle between requests and a request body trickling in are closed (the first and last
 * with 408), while a Server-Sent Events stream, a held long poll and a WebSocket, each quiet for
 * longer than those timeouts, are not cut.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = HttpRequestTimeoutsTests.TimeoutsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "signalr.http.keep-alive-timeout=1s", "signalr.http.request-headers-timeout=1s",
				"signalr.http.min-request-body-data-rate=1000", "signalr.http.min-request-body-data-rate-grace-period=1s",
				"signalr.long-polling.poll-timeout=4s" })
class HttpRequestTimeoutsTests {

	/** Well past every shortened timeout: a connection that is still open then was not cut. */
	private static final Duration PAST_TIMEOUTS = Duration.ofSeconds(3);

	/** Longest a test waits for a close that should come after about a second. */
	private static final Duration BOUND = Duration.ofSeconds(6);

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();

	@Test
	void answersRequestWhoseHeadersArriveSlowerThanTheHeadersTimeoutWith408AndCloses() throws Exception {
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			CompletableFuture<Void> slowloris = CompletableFuture.runAsync(() -> {
				String request = "POST /security-open/negotiate?negotiateVersion=1 HTTP/1.1\r\nHost: localhost\r\n"
						+ "X-Padding: " + "a".repeat(40);
				for (char c : request.toCharArray()) {
					if (!raw.write(String.valueOf(c)) || !pause(Duration.ofMillis(200))) {
						return;
					}
				}
			});
			long start = System.nanoTime();
			String received = raw.readUntilClosed();
			Duration open = Duration.ofNanos(System.nanoTime() - start);
			slowloris.cancel(true);
			assertThat(received).as("closed within %s", BOUND).isNotNull();
			assertThat(received).startsWith("HTTP/1.1 408 ");
			assertThat(open).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
		}
	}

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
		try (RawHttp neverSpoke = new RawHttp(this.port, BOUND)) {
			assertThat(neverSpoke.readUntilClosed()).as("closed within %s", BOUND).isEmpty();
		}
	}

	@Test
	void answersRequestBodySlowerThanTheMinimumDataRateWith408AndCloses(CapturedOutput output) throws Exception {
		String token = negotiate();
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			raw.write("POST /security-open?id=" + token + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n"
					+ "Content-Type: text/plain\r\n\r\n");
			CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 100; i++) {
					if (!raw.write("x") || !pause(Duration.ofMillis(100))) {
						return;
					}
				}
			});
			long start = System.nanoTime();
			String received = raw.readUntilClosed();
			Duration open = Duration.ofNanos(System.nanoTime() - start);
			trickle.cancel(true);
			assertThat(received).as("closed within %s", BOUND).isNotNull();
			assertThat(received).startsWith("HTTP/1.1 408 ");
			assertThat(open).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
		}
		// the POST's handler sees its client gone: nothing to answer, nothing to report
		Thread.sleep(200);
		assertThat(output.getOut()).doesNotContain(" ERROR ").doesNotContain("AbortedException");
	}

	/** The interim 100 Continue is not the response: the slow body after it still gets the 408. */
	@Test
	void answersRequestBodySlowerThanTheMinimumDataRateAfter100ContinueWith408() throws Exception {
		String token = negotiate();
		try (RawHttp raw = new RawHttp(this.port, BOUND)) {
			raw.write("POST /security-open?id=" + token + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n"
					+ "Content-Type: text/plain\r\nExpect: 100-continue\r\n\r\n");
			assertThat(raw.readHead()).startsWith("HTTP/1.1 100 ");
			CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 100; i++) {
					if (!raw.write("x") || !pause(Duration.ofMillis(100))) {
						return;
					}
				}
			});
			String received = raw.readUntilClosed();
			trickle.cancel(true);
			assertThat(received).as("closed within %s", BOUND).isNotNull();
			assertThat(received).startsWith("HTTP/1.1 408 ");
		}
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

	private static boolean pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** The interop security and the open hub at {@code /security-open}. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ InteropSecurity.class, SecurityTestHubs.OpenHub.class })
	static class TimeoutsApplication {

	}
}
