package io.github.springsignalr.webmvc;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.signalr.HubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;

import io.github.springsignalr.connection.OutboundBufferOverflowException;
import io.github.springsignalr.webflux.SlowClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading while a Spring MVC application on Tomcat broadcasts to them, over real
 * sockets: once what is unsent to one passes {@code signalr.outbound-buffer-size} (what Tomcat still holds
 * for it included), it is closed for real, its socket aborted when its Close cannot be written within
 * {@code signalr.close-timeout}; its {@code OnDisconnected} runs, it leaves its groups, the meters count it,
 * and a client that reads goes on receiving. As on Reactor Netty ({@code SlowConsumerTests}).
 */
class SlowConsumerOnTomcatTests {

	private static SlowClients server;

	@BeforeAll
	static void start() {
		server = new SlowClients(WebApplicationType.SERVLET, 1024, "signalr.outbound-buffer-size=512KB",
				"signalr.close-timeout=1s", "signalr.hub.client-timeout-interval=1h");
		assertThat(server.webServer()).isEqualTo("TomcatWebServer");
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void abortsWebSocketClientThatStopsReadingWhenWhatIsUnsentOverflows() throws Exception {
		closesClientThatStopsReading("web_sockets", server::webSocketThatStopsReading, 1);
	}

	@Test
	void abortsServerSentEventsClientThatStopsReadingWhenWhatIsUnsentOverflows() throws Exception {
		closesClientThatStopsReading("server_sent_events", server::eventStreamThatStopsReading, 1);
	}

	@Test
	void closesLongPollingClientThatStopsPollingWhenItsQueueOverflows() throws Exception {
		closesClientThatStopsReading("long_polling", server::longPollingClientThatStopsPolling, 0);
	}

	private static void closesClientThatStopsReading(String transport, Callable<? extends AutoCloseable> slowClient,
			int socketAborts) throws Exception {
		AtomicLong received = new AtomicLong();
		HubConnection reader = server.readingClient(received);
		String[] overflow = { "signalr.transport", transport, "signalr.close.reason", "overflow" };
		double overflowed = server.counter("signalr.server.connections.closed", overflow);
		double aborted = server.counter("signalr.server.connections.aborted", "signalr.transport", transport);
		AutoCloseable slow = slowClient.call();
		try {
			String id = server.awaitSlowJoined();
			assertThat(server.lifetime().groupCount()).isEqualTo(2);

			// Tomcat's write timeout (a minute) is not what ends it: the overflow and the close timeout are
			await().atMost(Duration.ofSeconds(30)).until(() -> server.hasDisconnected(id));
			assertThat(server.disconnected(id)).isInstanceOf(OutboundBufferOverflowException.class);
			assertThat(server.lifetime().connection(id)).isNull();
			assertThat(server.lifetime().groupCount()).as("only the room is left").isEqualTo(1);
			assertThat(server.counter("signalr.server.connections.closed", overflow)).isEqualTo(overflowed + 1);
			assertThat(server.counter("signalr.server.connections.aborted", "signalr.transport", transport))
				.isEqualTo(aborted + socketAborts);
			if (slow instanceof Socket socket) {
				assertThat(closedByTheServer(socket)).as("the server closed the socket").isTrue();
			}

			long before = received.get();
			await().atMost(SlowClients.TIMEOUT).until(() -> received.get() > before + 100);
		}
		finally {
			slow.close();
			reader.stop().blockingAwait();
			SlowClients.SlowHub.reset();
		}
	}

	/** Reads what the socket holds until the server's end of it (a reset counts), within the test's timeout. */
	private static boolean closedByTheServer(Socket socket) {
		byte[] buffer = new byte[64 * 1024];
		long deadline = System.nanoTime() + SlowClients.TIMEOUT.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				if (socket.getInputStream().read(buffer) < 0) {
					return true;
				}
			}
			return false;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (java.io.IOException ex) {
			// reset by the server
			return true;
		}
	}
}
