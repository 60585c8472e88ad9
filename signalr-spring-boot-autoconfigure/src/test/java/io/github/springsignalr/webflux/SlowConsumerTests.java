package io.github.springsignalr.webflux;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.signalr.HubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.connection.OutboundBufferOverflowException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading while the server broadcasts to them, over real sockets: once what is unsent to
 * one passes {@code signalr.outbound-buffer-size}, wherever it sits, it is closed for real (its socket
 * aborted when its Close cannot be written within {@code signalr.close-timeout}), its {@code OnDisconnected}
 * runs, it leaves its groups, the meters count it, and a client that reads goes on receiving.
 */
class SlowConsumerTests {

	private static SlowClients server;

	@BeforeAll
	static void start() {
		server = new SlowClients(1024, "signalr.outbound-buffer-size=512KB", "signalr.close-timeout=1s",
				"signalr.hub.client-timeout-interval=1h");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void closesWebSocketClientThatStopsReadingWhenWhatIsUnsentOverflows() throws Exception {
		closesClientThatStopsReading("web_sockets", server::webSocketThatStopsReading, 1, Duration.ofSeconds(30));
	}

	@Test
	void closesServerSentEventsClientThatStopsReadingWhenWhatIsUnsentOverflows() throws Exception {
		closesClientThatStopsReading("server_sent_events", server::eventStreamThatStopsReading, 1, Duration.ofSeconds(30));
	}

	/**
	 * Long polling takes what is queued with each poll: a client that stops polling fills the queue, and
	 * the connection ends once it has not polled for the close timeout, well before the disconnect timeout.
	 */
	@Test
	void closesLongPollingClientThatStopsPollingWhenItsQueueOverflows() throws Exception {
		closesClientThatStopsReading("long_polling", server::longPollingClientThatStopsPolling, 0, Duration.ofSeconds(8));
	}

	private static void closesClientThatStopsReading(String transport, Callable<? extends AutoCloseable> slowClient,
			int socketAborts, Duration within) throws Exception {
		AtomicLong received = new AtomicLong();
		HubConnection reader = server.readingClient(received);
		String[] overflow = { "signalr.transport", transport, "signalr.close.reason", "overflow" };
		double overflowed = server.counter("signalr.server.connections.closed", overflow);
		double aborted = server.counter("signalr.server.connections.aborted", "signalr.transport", transport);
		AutoCloseable slow = slowClient.call();
		try {
			String id = server.awaitSlowJoined();
			assertThat(server.lifetime().connection(id)).isNotNull();
			assertThat(server.lifetime().groupCount()).isEqualTo(2);

			await().atMost(within).until(() -> server.hasDisconnected(id));
			assertThat(server.disconnected(id)).isInstanceOf(OutboundBufferOverflowException.class);
			assertThat(server.lifetime().connection(id)).isNull();
			assertThat(server.lifetime().groupCount()).as("only the room is left").isEqualTo(1);
			assertThat(server.lifetime().connectionCount()).isEqualTo(1);
			assertThat(server.counter("signalr.server.connections.closed", overflow)).isEqualTo(overflowed + 1);
			assertThat(server.counter("signalr.server.connections.aborted", "signalr.transport", transport))
				.isEqualTo(aborted + socketAborts);

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
