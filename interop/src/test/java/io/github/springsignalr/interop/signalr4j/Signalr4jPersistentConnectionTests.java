package io.github.springsignalr.interop.signalr4j;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.signalr4j.client.Connection;
import com.github.signalr4j.client.Logger;
import com.github.signalr4j.client.SignalRFuture;
import com.github.signalr4j.client.transport.ClientTransport;
import com.github.signalr4j.client.transport.LongPollingTransport;
import com.github.signalr4j.client.transport.ServerSentEventsTransport;
import com.github.signalr4j.client.transport.WebsocketTransport;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * signalr4j 2.0.4's persistent {@link Connection} (no hubs) against the interop server's raw
 * {@code @ConnectionMapping("/echo")} handler, served to classic clients at {@code /echo}, on
 * webSockets, serverSentEvents and longPolling: what it sends comes back as the same JSON value.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.legacy.enabled=true")
class Signalr4jPersistentConnectionTests {

	private static final Logger QUIET = (message, level) -> {
	};

	@LocalServerPort
	private int port;

	@ParameterizedTest
	@ValueSource(strings = { "webSockets", "serverSentEvents", "longPolling" })
	void echoesWhatItSendsAsTheSameJsonValueOnEachTransport(String transportName) throws Exception {
		Function<Logger, ClientTransport> transport = switch (transportName) {
			case "webSockets" -> WebsocketTransport::new;
			case "serverSentEvents" -> ServerSentEventsTransport::new;
			default -> LongPollingTransport::new;
		};
		Connection connection = new Connection("http://127.0.0.1:" + this.port + "/echo", QUIET);
		BlockingQueue<JsonElement> received = new LinkedBlockingQueue<>();
		connection.received(received::add);
		try {
			connection.start(transport.apply(QUIET)).get(10, TimeUnit.SECONDS);
			sent(connection.send("hello " + transportName), transportName);
			JsonElement echoed = received.poll(10, TimeUnit.SECONDS);
			assertThat(echoed).isNotNull();
			assertThat(echoed.getAsString()).isEqualTo("hello " + transportName);
			JsonObject object = new JsonObject();
			object.addProperty("n", 42);
			sent(connection.send(object), transportName);
			JsonElement echoedObject = received.poll(10, TimeUnit.SECONDS);
			assertThat(echoedObject).isNotNull();
			assertThat(echoedObject.isJsonObject()).isTrue();
			assertThat(echoedObject.getAsJsonObject().get("n").getAsInt()).isEqualTo(42);
		}
		finally {
			connection.stop();
		}
	}

	/**
	 * Waits for a send to be accepted; signalr4j's WebSocket transport returns a future that never
	 * completes ({@code WebsocketTransport.send} wraps no request), so there the echo alone tells.
	 */
	private static void sent(SignalRFuture<Void> send, String transportName) throws Exception {
		if (!transportName.equals("webSockets")) {
			send.get(10, TimeUnit.SECONDS);
		}
	}
}
