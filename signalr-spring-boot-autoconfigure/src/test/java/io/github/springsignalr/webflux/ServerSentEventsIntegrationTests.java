package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Server-Sent Events transport on the wire, against a real server: the event stream's framing, and
 * messages sent in a burst (the server writes them straight to the channel, several to a flush) each
 * arriving as its own event, in order, and the Close message of an abort before the response ends.
 */
class ServerSentEventsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String RS = "\u001e";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(EventsApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hub.keep-alive-interval=1h")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	@Timeout(30)
	void aBurstOfMessagesArrivesAsOneEventEachInOrderAndTheStreamEndsWithTheConnection() throws Exception {
		String connection = "/events?id=" + negotiate();
		HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri(connection))
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(events.statusCode()).isEqualTo(200);
		assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		List<String> lines = new ArrayList<>();
		CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					synchronized (lines) {
						lines.add(line);
					}
				}
				return lines;
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		assertThat(post(connection, "{\"protocol\":\"json\",\"version\":1}" + RS)).isEqualTo(200);
		assertThat(post(connection, "{\"type\":1,\"target\":\"Burst\",\"arguments\":[500]}" + RS)).isEqualTo(200);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (count(lines, "data: {\"type\":1,\"target\":\"m\"") < 500 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(post(connection, "{\"type\":1,\"target\":\"End\",\"arguments\":[]}" + RS)).isEqualTo(200);

		List<String> received = stream.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		// the opening comment, then events
		assertThat(received.get(0)).isEqualTo(":");
		List<String> data = received.stream().filter((line) -> line.startsWith("data: ")).toList();
		assertThat(data.get(0)).isEqualTo("data: {}" + RS);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			expected.add("data: {\"type\":1,\"target\":\"m\",\"arguments\":[" + i + "]}" + RS);
		}
		// the abort's Close message, then the end of the response
		expected.add("data: {\"type\":7}" + RS);
		assertThat(data.subList(1, data.size())).containsExactlyElementsOf(expected);
		// every event is one data line and a blank line
		assertThat(received.size()).isEqualTo(1 + 2 * data.size());
		for (int i = 2; i < received.size(); i += 2) {
			assertThat(received.get(i)).isEmpty();
		}
	}

	/**
	 * Events are framed once per message and shared by the recipients on an event loop: an application that
	 * sends the same array again with new content has the new content sent.
	 */
	@Test
	@Timeout(30)
	void anArraySentAgainWithNewContentArrivesWithItsNewContent() throws Exception {
		HttpResponse<String> negotiated = HTTP.send(HttpRequest.newBuilder(uri("/reused/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		String connection = "/reused?id="
				+ JsonMapper.builder().build().readTree(negotiated.body()).get("connectionToken").asString();
		HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri(connection))
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
			assertThat(reader.readLine()).isEqualTo(":");
			for (String message : List.of("aaaa", "bbbb", "aaaa")) {
				assertThat(post(connection, message)).isEqualTo(200);
				assertThat(reader.readLine()).isEqualTo("data: " + message);
				assertThat(reader.readLine()).isEmpty();
			}
		}
	}

	private static int count(List<String> lines, String prefix) {
		synchronized (lines) {
			return (int) lines.stream().filter((line) -> line.startsWith(prefix)).count();
		}
	}

	private static URI uri(String pathAndQuery) {
		return URI.create("http://localhost:" + port + pathAndQuery);
	}

	private static String negotiate() throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/events/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body()).get("connectionToken").asString();
	}

	private static int post(String connection, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(connection))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@Hub("/events")
	static class EventsHub {

		public void burst(int count, HubCallerClients clients) {
			for (int i = 0; i < count; i++) {
				clients.caller().send("m", i);
			}
		}

		public void end(HubCallerContext context) {
			context.abort();
		}
	}

	/** Sends what it receives back in one array it reuses, as an application pooling its buffers may. */
	@ConnectionMapping("/reused")
	static class ReusedArrayHandler implements ConnectionHandler {

		private final byte[] reused = new byte[4];

		@Override
		public Mono<Void> onReceived(Connection connection, byte[] data) {
			System.arraycopy(data, 0, this.reused, 0, this.reused.length);
			connection.send(this.reused);
			return Mono.empty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ EventsHub.class, ReusedArrayHandler.class })
	static class EventsApplication {

	}
}
