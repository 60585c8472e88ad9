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

import io.github.springsignalr.hub.OperationCanceledException;
import io.github.springsignalr.webflux.SlowClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients of a Spring MVC application on Tomcat that stop reading and stop sending, over real sockets,
 * with an outbound buffer too large to overflow during the test: the client timeout closes them, and as
 * their Close is stuck behind the data they did not read, their socket is aborted after
 * {@code signalr.close-timeout}; {@code OnDisconnected} runs, they leave their groups and the meters count
 * them. As on Reactor Netty ({@code SilentSlowConsumerTests}).
 */
class SilentSlowConsumerOnTomcatTests {

	private static SlowClients server;

	@BeforeAll
	static void start() {
		server = new SlowClients(WebApplicationType.SERVLET, 8192, "signalr.outbound-buffer-size=64MB",
				"signalr.close-timeout=1s", "signalr.hub.client-timeout-interval=3s");
		assertThat(server.webServer()).isEqualTo("TomcatWebServer");
	}

	@AfterAll
	static void stop() {
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

			// client timeout 3 s, close timeout 1 s, heartbeat 1 s: Tomcat's own timeouts are far longer
			await().atMost(Duration.ofSeconds(15)).until(() -> server.hasDisconnected(id));
			assertThat(server.disconnected(id)).isInstanceOf(OperationCanceledException.class)
				.hasMessage("Client hasn't sent a message/ping within the configured signalr.hub.client-timeout-interval.");
			assertThat(server.lifetime().connection(id)).isNull();
			assertThat(server.lifetime().groupCount()).as("only the room is left").isEqualTo(1);
			assertThat(server.counter("signalr.server.connections.closed", timeout)).isEqualTo(timedOut + 1);
			assertThat(server.counter("signalr.server.connections.aborted", "signalr.transport", transport))
				.isEqualTo(aborted + 1);
			assertThat(closedByTheServer(slow)).as("the server closed the socket").isTrue();

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
