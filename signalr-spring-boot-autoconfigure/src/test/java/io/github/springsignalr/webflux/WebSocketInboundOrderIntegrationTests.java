package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.Hub;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client sends over a WebSocket while the hub is busy with an earlier message, against a real server:
 * each message reaches the hub after the one before it is done, in the order sent, and once more messages
 * wait than the server holds (it stops reading then) it reads on as the hub catches up.
 */
class WebSocketInboundOrderIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String RS = "\u001e";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(OrderApplication.class).web(WebApplicationType.REACTIVE)
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
	void messagesSentWhileTheHubIsBusyAreHandledInOrderAndReadingResumesPastTheHeldOnes() throws Exception {
		Recorder recorder = new Recorder();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/order"), recorder)
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		Awaitility.await().atMost(TIMEOUT).until(() -> recorder.text().startsWith("{}" + RS));
		int count = 100;
		for (int i = 1; i <= count; i++) {
			// one WebSocket message each: every one after the first arrives while an invocation runs
			socket.sendText("{\"type\":1,\"invocationId\":\"" + i + "\",\"target\":\"Slow\",\"arguments\":[" + i + "]}" + RS,
					true)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		Awaitility.await().atMost(TIMEOUT).until(() -> completions(recorder.text()).size() == count);
		List<JsonNode> completions = completions(recorder.text());
		for (int i = 1; i <= count; i++) {
			JsonNode completion = completions.get(i - 1);
			assertThat(completion.get("invocationId").asString()).isEqualTo(Integer.toString(i));
			assertThat(completion.get("result").asInt()).isEqualTo(i);
		}
		assertThat(server.getBean(OrderHub.class).received()).hasSize(count).isSorted();
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private static List<JsonNode> completions(String text) {
		List<JsonNode> completions = new ArrayList<>();
		for (String record : text.split(RS)) {
			if (!record.isEmpty() && !record.equals("{}")) {
				JsonNode message = MAPPER.readTree(record);
				if (message.get("type").asInt() == 3) {
					completions.add(message);
				}
			}
		}
		return completions;
	}

	private static final class Recorder implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		synchronized String text() {
			return this.text.toString();
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			synchronized (this) {
				this.text.append(data);
			}
			webSocket.request(1);
			return null;
		}
	}

	@Hub("/order")
	static class OrderHub {

		private final List<Integer> received = new ArrayList<>();

		public Mono<Integer> slow(int n) {
			synchronized (this.received) {
				this.received.add(n);
			}
			return Mono.delay(Duration.ofMillis(2)).thenReturn(n);
		}

		List<Integer> received() {
			synchronized (this.received) {
				return List.copyOf(this.received);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OrderHub.class)
	static class OrderApplication {

	}
}
