package io.github.springsignalr.webflux;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.signalr.HubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.hub.OperationCanceledException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading and stop sending, over real sockets, with an outbound buffer too large to
 * overflow during the test: the client timeout closes them, and as their Close is stuck behind the data
 * they did not read, their socket is aborted after {@code signalr.close-timeout}; {@code OnDisconnected}
 * runs, they leave their groups and the meters count them.
 */
class SilentSlowConsumerTests {

	private static SlowClients server;

	@BeforeAll
	static void start() {
		server = new SlowClients(8192, "signalr.outbound-buffer-size=64MB", "signalr.close-timeout=1s",
				"signalr.hub.client-timeout-interval=3s");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void abortsWebSocketClientWhoseCloseIsStuckBehindUnreadDataAfterTheClientTimeout() throws Exception {
		abortsSilentClient("web_sockets", server::webSocketThatStopsReading);
	}

	@Test
	void abortsServerSentEventsClientWhoseCloseIsStuckBehindUnreadDataAfterTheClientTimeout() throws Exception {
		abortsSilentClient("server_sent_events", server::eventStreamThatStopsReading);
	}

	private static void abortsSilentClient(String transport, Callable<Socket> slowClient) throws Exception {
		AtomicLong received = new AtomicLong();
		HubConnection reader = server.readingClient(received);
		String[] timeout = { "signalr.transport", transport, "signalr.close.reason", "client_timeout" };
		double timedOut = server.counter("signalr.server.connections.closed", timeout);
		double aborted = server.counter("signalr.server.connections.aborted", "signalr.transport", transport);
		Socket slow = slowClient.call();
		try {
			String id = server.awaitSlowJoined();
			assertThat(server.lifetime().groupCount()).isEqualTo(2);

			await().atMost(Duration.ofSeconds(20)).until(() -> server.hasDisconnected(id));
			assertThat(server.disconnected(id)).isInstanceOf(OperationCanceledException.class)
				.hasMessage("Client hasn't sent a message/ping within the configured signalr.hub.client-timeout-interval.");
			assertThat(server.lifetime().connection(id)).isNull();
			assertThat(server.lifetime().groupCount()).as("only the room is left").isEqualTo(1);
			assertThat(server.counter("signalr.server.connections.closed", timeout)).isEqualTo(timedOut + 1);
			assertThat(server.counter("signalr.server.connections.aborted", "signalr.transport", transport)).isEqualTo(aborted + 1);

			long before = received.get();
			await().atMost(SlowClients.TIMEOUT).until(() -> received.get() > before + 100);
		}
		finally {
			slow.close();
			reader.stop().blockingAwait();
			SlowClients.SlowHub.reset();
		}
	}
}
