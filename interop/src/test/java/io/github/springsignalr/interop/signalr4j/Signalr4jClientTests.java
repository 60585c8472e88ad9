package io.github.springsignalr.interop.signalr4j;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.signalr4j.client.Logger;
import com.github.signalr4j.client.hubs.HubConnection;
import com.github.signalr4j.client.hubs.HubException;
import com.github.signalr4j.client.hubs.HubProxy;
import com.github.signalr4j.client.transport.ClientTransport;
import com.github.signalr4j.client.transport.LongPollingTransport;
import com.github.signalr4j.client.transport.ServerSentEventsTransport;
import com.github.signalr4j.client.transport.WebsocketTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * signalr4j 2.0.4 on webSockets, serverSentEvents and longPolling: negotiate accepted (it wants protocol
 * 1.3 exactly), OnConnected at {@code /connect} (it never calls {@code /start}), results, a hub error with
 * its data, a broadcast, and {@code stop()} ending the connection with OnDisconnected once, without cause.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.legacy.enabled=true")
class Signalr4jClientTests {

	private static final Logger QUIET = (message, level) -> {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private LegacyJavaHub hub;

	@ParameterizedTest
	@ValueSource(strings = { "webSockets", "serverSentEvents", "longPolling" })
	void callsTheHubAndReceivesItsBroadcastsOnEachTransport(String transportName) throws Exception {
		Function<Logger, ClientTransport> transport = switch (transportName) {
			case "webSockets" -> WebsocketTransport::new;
			case "serverSentEvents" -> ServerSentEventsTransport::new;
			default -> LongPollingTransport::new;
		};
		HubConnection connection = new HubConnection("http://127.0.0.1:" + this.port, "", true, QUIET);
		HubProxy proxy = connection.createHubProxy("LegacyJavaHub");
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		proxy.on("addMessage", (name, message) -> messages.add(name + ":" + message), String.class, String.class);
		try {
			connection.start(transport.apply(QUIET)).get(10, TimeUnit.SECONDS);
			String id = connection.getConnectionId();
			assertThat(this.hub.connected).containsOnlyOnce(id);
			assertThat(proxy.invoke(String.class, "Echo", "x").get(10, TimeUnit.SECONDS)).isEqualTo("x");
			assertThat(proxy.invoke(Integer.class, "Add", 2, 3).get(10, TimeUnit.SECONDS)).isEqualTo(5);
			assertThatThrownBy(() -> proxy.invoke(String.class, "ThrowHub").get(10, TimeUnit.SECONDS))
				.isInstanceOf(ExecutionException.class)
				.cause()
				.isInstanceOfSatisfying(HubException.class, (error) -> {
					assertThat(error).hasMessage("boom");
					// Gson reads the data as a map, its number as a double
					assertThat(error.getErrorData()).isEqualTo(Map.of("ErrorNumber", 42.0));
				});
			proxy.invoke("Send", transportName, "hello").get(10, TimeUnit.SECONDS);
			assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo(transportName + ":hello");
			connection.stop();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (this.hub.disconnected.stream().noneMatch((entry) -> entry.startsWith(id))
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(this.hub.disconnected).containsOnlyOnce(id + ":null");
		}
		finally {
			connection.stop();
		}
	}
}
