package io.github.springsignalr.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.Hub;
import io.github.springsignalr.OnConnected;

/**
 * What the server log says when a hub method fails or a client breaks the protocol, against a real
 * server and the official Java client: the reference's events at the reference's levels, and our
 * property names where the reference names its options.
 */
@ExtendWith(OutputCaptureExtension.class)
class HubLoggingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(LoggingApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hub.maximum-receive-message-size=1KB",
					"logging.level.io.github.springsignalr.hub.HubConnectionHandler=debug",
					"logging.level.io.github.springsignalr.hub.HubDispatcher=debug")
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
	void hubMethodThatThrowsIsLoggedAtErrorWithItsException(CapturedOutput output) {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/logged").build();
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThatThrownBy(() -> client.invoke(String.class, "Fail", "order-42").blockingGet())
				.hasMessage("An unexpected error occurred invoking 'Fail' on the server.");
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(output.getAll())
			.containsPattern("ERROR .*Failed to invoke hub method 'Fail'\\.")
			.contains("java.lang.IllegalStateException: no stock for order-42"));
	}

	@Test
	void bindingFailureIsLoggedAtDebugAsInvalidParameters(CapturedOutput output) {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/logged").build();
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		try {
			assertThatThrownBy(() -> client.invoke(String.class, "Count", "many").blockingGet())
				.hasMessage("Failed to invoke 'Count' due to an error on the server.");
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		assertThat(output.getAll()).containsPattern("DEBUG .*Parameters to hub method 'Count' are incorrect\\.")
			.contains("InvalidDataException: Error binding arguments")
			.doesNotContain("Failed to invoke hub method 'Count'");
	}

	@Test
	void failingOnConnectedIsLoggedAtError(CapturedOutput output) {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/refusing").build();
		client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		try {
			Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(output.getAll())
				.containsPattern("ERROR .*Error when dispatching 'OnConnected' on hub RefusingHub\\.")
				.contains("java.lang.IllegalStateException: closed for maintenance"));
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Test
	void messageOverTheSizeLimitClosesWithAReasonNamingTheProperty(CapturedOutput output) throws Exception {
		StringBuilder received = new StringBuilder();
		CompletableFuture<Integer> closed = new CompletableFuture<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/logged"), new WebSocket.Listener() {

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					synchronized (received) {
						received.append(data);
					}
					webSocket.request(1);
					return null;
				}

				@Override
				public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
					closed.complete(statusCode);
					return null;
				}
			})
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).get();
		socket.sendText("{\"type\":1,\"target\":\"Fail\",\"arguments\":[\"" + "x".repeat(2048) + "\"]}\u001e", true)
			.get();

		assertThat(closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1000);
		String reason = "The maximum message size of 1024B was exceeded. The message size can be configured with "
				+ "signalr.hub.maximum-receive-message-size.";
		synchronized (received) {
			assertThat(received.toString()).contains("\"type\":7").doesNotContain("AddHubOptions");
		}
		assertThat(output.getAll()).containsPattern("DEBUG .*Error when processing requests of connection")
			.contains(reason);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ LoggedHub.class, RefusingHub.class })
	static class LoggingApplication {

	}

	@Hub("/logged")
	static class LoggedHub {

		public String fail(String order) {
			throw new IllegalStateException("no stock for " + order);
		}

		public int count(int items) {
			return items;
		}

	}

	@Hub("/refusing")
	static class RefusingHub {

		@OnConnected
		public void connected() {
			throw new IllegalStateException("closed for maintenance");
		}

	}

}
