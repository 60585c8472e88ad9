package io.github.springsignalr.interop.legacy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.signalr4j.client.Connection;
import com.github.signalr4j.client.Logger;
import com.github.signalr4j.client.SignalRFuture;
import com.github.signalr4j.client.hubs.HubConnection;
import com.github.signalr4j.client.hubs.HubException;
import com.github.signalr4j.client.hubs.HubProxy;
import com.github.signalr4j.client.transport.ClientTransport;
import com.github.signalr4j.client.transport.LongPollingTransport;
import com.github.signalr4j.client.transport.ServerSentEventsTransport;
import com.github.signalr4j.client.transport.WebsocketTransport;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * signalr4j 2.0.4, the Java client of classic ASP.NET SignalR 2, on each of its three transports
 * (§13 item 24): it negotiates protocol 1.3 and never calls {@code /start}, so OnConnected runs at
 * {@code /connect}; results, hub errors with their data, broadcasts and {@code stop()}. Its persistent
 * {@code Connection} is driven by {@code Signalr4jPersistentConnectionTests}.
 * <p>
 * Client quirks worked around here: it sends {@code /abort} before every {@code /reconnect}, so no
 * reconnect is asserted with it; a hub error arrives as the future's error, not as {@code get()}'s.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LegacySignalr4jClientTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Logger QUIET = (message, level) -> {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private LegacyHubEvents events;

	@ParameterizedTest
	@ValueSource(strings = { "webSockets", "serverSentEvents", "longPolling" })
	void signalr4jCallsHubMethodsReceivesBroadcastsAndStops(String transportName) throws Exception {
		HubConnection connection = new HubConnection("http://127.0.0.1:" + this.port);
		HubProxy chat = connection.createHubProxy("ChatHub");
		List<String> received = new CopyOnWriteArrayList<>();
		chat.on("addMessage", (String name, String message) -> received.add(name + ":" + message), String.class,
				String.class);
		try {
			connection.start(transport(transportName)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			String id = connection.getConnectionId();
			await().atMost(WAIT).until(() -> this.events.of(id).get("connected") == 1);

			assertThat(result(chat.invoke(String.class, "Echo", "x"))).isEqualTo("x");
			assertThat(result(chat.invoke(Integer.class, "Add", 2, 3))).isEqualTo(5);
			assertThat(result(chat.invoke(String.class, "GetConnectionId"))).isEqualTo(id);
			JsonObject object = result(chat.invoke(JsonObject.class, "ReturnObject"));
			assertThat(object.get("name").getAsString()).isEqualTo("legacy");
			assertThat(object.getAsJsonObject("nested").get("ok").getAsBoolean()).isTrue();

			Throwable hubError = error(chat.invoke(String.class, "ThrowHub"));
			assertThat(hubError).isInstanceOf(HubException.class).hasMessage("Hub error 42");
			assertThat(String.valueOf(((HubException) hubError).getErrorData())).contains("ErrorNumber").contains("42");

			result(chat.invoke("Send", "signalr4j", "over " + transportName));
			await().atMost(WAIT).until(() -> received.contains("signalr4j:over " + transportName));
			result(chat.invoke("JoinGroup", "java-" + transportName));
			result(chat.invoke("SendToGroup", "java-" + transportName, "to the group"));
			await().atMost(WAIT).until(() -> received.contains("java-" + transportName + ":to the group"));

			connection.stop();
			await().atMost(WAIT).until(() -> this.events.of(id).get("disconnectedStopCalled") == 1);
			assertThat(this.events.of(id)).containsEntry("connected", 1).containsEntry("disconnectedTimeout", 0);
		}
		finally {
			connection.stop();
		}
	}

	private static ClientTransport transport(String name) {
		Function<Logger, ClientTransport> factory = switch (name) {
			case "webSockets" -> WebsocketTransport::new;
			case "serverSentEvents" -> ServerSentEventsTransport::new;
			default -> LongPollingTransport::new;
		};
		return factory.apply(QUIET);
	}

	/** The future's value; signalr4j reports failures through onError, which {@code get} may not see. */
	private static <T> T result(SignalRFuture<T> future) throws Exception {
		CompletableFuture<T> outcome = new CompletableFuture<>();
		future.done(outcome::complete).onError(outcome::completeExceptionally);
		return outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	private static Throwable error(SignalRFuture<?> future) throws Exception {
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		future.done((value) -> outcome.completeExceptionally(new AssertionError("no error but " + value)))
			.onError(outcome::complete);
		return outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}
}
