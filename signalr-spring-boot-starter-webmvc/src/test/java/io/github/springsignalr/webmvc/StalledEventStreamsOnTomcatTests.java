package io.github.springsignalr.webmvc;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.signalr.HubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;

import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.webflux.SlowClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-Sent Events clients that stop reading, on Tomcat, more of them than the threads that write for
 * every connection (on Java 17 a bounded pool of ten per core): no thread waits for them, and a client
 * that reads goes on receiving what is broadcast to all of them.
 */
class StalledEventStreamsOnTomcatTests {

	private static final int STALLED = Math.max(10, Runtime.getRuntime().availableProcessors() * 10) + 4;

	private static SlowClients server;

	@BeforeAll
	static void start() {
		server = new SlowClients(WebApplicationType.SERVLET, 1024, "signalr.outbound-buffer-size=16MB",
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
	void stalledEventStreamsHoldNoThreadAndOtherClientsKeepReceiving() throws Exception {
		List<Socket> stalled = new ArrayList<>();
		AtomicLong received = new AtomicLong();
		HubConnection reader = server.readingClient(received);
		try {
			for (int i = 0; i < STALLED; i++) {
				stalled.add(server.eventStreamThatStopsReading());
			}
			await().atMost(SlowClients.TIMEOUT).until(() -> server.slowJoined().size() == STALLED);
			// the kernel's buffers of every stalled stream are full: what is sent to it piles up
			await().atMost(Duration.ofSeconds(30)).until(() -> server.slowJoined().stream().allMatch((id) -> {
				HubConnectionContext context = server.lifetime().connection(id);
				return context != null && ((HttpConnection) context.connection()).queuedBytes() > 256 * 1024;
			}));

			assertThat(threadsWritingToTheContainer()).as("threads held by stalled event streams").isEmpty();
			long before = received.get();
			await().atMost(Duration.ofSeconds(5)).until(() -> received.get() > before + 500);
			assertThat(server.lifetime().connectionCount()).as("the stalled streams are still connected")
				.isEqualTo(STALLED + 1);
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
			reader.stop().blockingAwait();
			SlowClients.SlowHub.reset();
		}
	}

	/**
	 * The threads found in the middle of a write to the container by SignalR's servlet transports in each
	 * of five looks 200 ms apart: a write that does not block is never seen five times in a row.
	 */
	private static Set<String> threadsWritingToTheContainer() throws InterruptedException {
		Set<String> writing = null;
		for (int look = 0; look < 5; look++) {
			Set<String> now = new HashSet<>();
			Thread.getAllStackTraces().forEach((thread, stack) -> {
				boolean transport = false;
				boolean container = false;
				for (StackTraceElement frame : stack) {
					transport |= frame.getClassName().startsWith("io.github.springsignalr.webmvc.");
					String method = frame.getMethodName().toLowerCase(Locale.ROOT);
					container |= (frame.getClassName().startsWith("org.apache.catalina.connector.")
							|| frame.getClassName().startsWith("org.apache.tomcat.util.net."))
							&& (method.contains("write") || method.contains("flush"));
				}
				if (transport && container) {
					now.add(thread.getName() + "#" + thread.getId());
				}
			});
			if (writing == null) {
				writing = now;
			}
			else {
				writing.retainAll(now);
			}
			Thread.sleep(200);
		}
		return writing;
	}
}
