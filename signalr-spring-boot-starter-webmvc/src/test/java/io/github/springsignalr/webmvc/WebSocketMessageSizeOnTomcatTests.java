package io.github.springsignalr.webmvc;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The largest WebSocket message accepted ({@code signalr.websocket.max-frame-size}) on Tomcat: a limit, not
 * a buffer every socket holds; messages in several frames are put together, and one over the limit closes
 * the socket with 1009, whether in one frame or in fragments.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "signalr.websocket.max-frame-size=4MB")
class WebSocketMessageSizeOnTomcatTests {

	private static final String RS = "\u001e";

	private static final int LIMIT = 4 * 1024 * 1024;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void socketsThatExchangedMessagesHoldNoBufferOfTheLargestMessageAccepted() throws Exception {
		long before = heapAfterGc();
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			Socket socket = open();
			socket.send("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"m" + i + "\"]}" + RS);
			assertThat(socket.next()).contains("\"result\":\"m" + i + "\"");
			sockets.add(socket);
		}
		long growth = heapAfterGc() - before;
		// a 4 MB text buffer per socket (as Tomcat allocates at the size accepted) would be 320 MB for 40
		assertThat(growth).as("heap held by 40 open sockets").isLessThan(32L * 1024 * 1024);
		for (Socket socket : sockets) {
			socket.close();
		}
	}

	@Test
	void messageInSeveralFramesIsPutTogether() throws Exception {
		Socket socket = open();
		String payload = "y".repeat(20_000);
		String invocation = "{\"type\":1,\"invocationId\":\"7\",\"target\":\"Echo\",\"arguments\":[\"" + payload + "\"]}"
				+ RS;
		int third = invocation.length() / 3;
		socket.webSocket.sendText(invocation.substring(0, third), false).get(10, TimeUnit.SECONDS);
		socket.webSocket.sendText(invocation.substring(third, 2 * third), false).get(10, TimeUnit.SECONDS);
		socket.webSocket.sendText(invocation.substring(2 * third), true).get(10, TimeUnit.SECONDS);
		assertThat(socket.next()).contains("\"invocationId\":\"7\"", "\"result\":\"" + payload + "\"");
		socket.close();
	}

	@Test
	void messageOverTheLimitClosesWith1009WhetherInOneFrameOrInFragments() throws Exception {
		String reason = "Max frame length of " + LIMIT + " has been exceeded.";
		Socket single = open();
		single.webSocket.sendText("x".repeat(LIMIT + 1), true);
		assertThat(single.closed.get(20, TimeUnit.SECONDS)).isEqualTo("1009 " + reason);

		Socket fragmented = open();
		String fragment = "x".repeat(512 * 1024);
		for (int i = 0; i < 12 && !fragmented.closed.isDone(); i++) {
			fragmented.webSocket.sendText(fragment, false).exceptionally((ex) -> null).get(20, TimeUnit.SECONDS);
		}
		assertThat(fragmented.closed.get(20, TimeUnit.SECONDS)).isEqualTo("1009 " + reason);
	}

	private Socket open() throws Exception {
		Socket socket = new Socket();
		socket.webSocket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/echo"), socket)
			.get(10, TimeUnit.SECONDS);
		socket.send("{\"protocol\":\"json\",\"version\":1}" + RS);
		assertThat(socket.next()).isEqualTo("{}" + RS);
		return socket;
	}

	private static long heapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** A WebSocket client recording whole text messages and how the server closed. */
	private static final class Socket implements WebSocket.Listener {

		private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final CompletableFuture<String> closed = new CompletableFuture<>();

		private WebSocket webSocket;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.messages.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode + " " + reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.complete("error " + error);
		}

		void send(String text) throws Exception {
			this.webSocket.sendText(text, true).get(10, TimeUnit.SECONDS);
		}

		String next() throws InterruptedException {
			String message = this.messages.poll(10, TimeUnit.SECONDS);
			assertThat(message).as("a message within 10 s").isNotNull();
			return message;
		}

		void close() throws Exception {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		}
	}
}
