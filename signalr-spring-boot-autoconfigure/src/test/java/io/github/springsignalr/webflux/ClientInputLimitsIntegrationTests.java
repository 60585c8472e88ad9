package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
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
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.MessagePackHubProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client controls the size of, against a real server over every transport: values nested too
 * deep, POST bodies over the limit and WebSocket messages over the limit in fragments. Each ends the
 * connection as the reference ends it on invalid data (a Close message with its error, then the
 * transport's normal end) or, for WebSocket messages, with 1009 and a reason; never with a dropped
 * socket, a stack trace or a connection left open.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientInputLimitsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String RS = "\u001e";

	private static final String CLOSED_WITH_ERROR = "Connection closed with an error.";

	private static final int LIMIT = 1024 * 1024;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(LimitsApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hub.keep-alive-interval=1h")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	/** An invocation of Echo whose argument is {@code depth} arrays inside each other, in MessagePack. */
	private static byte[] deepMessagePack(int depth) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(new byte[] { (byte) 0x96, 0x01, (byte) 0x80, (byte) 0xa1, '1', (byte) 0xa4, 'E', 'c', 'h', 'o',
				(byte) 0x91 });
		for (int i = 0; i < depth; i++) {
			body.write(0x91);
		}
		body.write(0xc0);
		body.write(0x90);
		ByteArrayOutputStream framed = new ByteArrayOutputStream();
		int length = body.size();
		do {
			int b = length & 0x7f;
			length >>>= 7;
			framed.write((length > 0) ? (b | 0x80) : b);
		}
		while (length > 0);
		framed.writeBytes(body.toByteArray());
		return framed.toByteArray();
	}

	private static String deepJson(int depth) {
		return "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[" + "[".repeat(depth)
				+ "]".repeat(depth) + "]}" + RS;
	}

	private static String handshake(String protocol) {
		return "{\"protocol\":\"" + protocol + "\",\"version\":1}" + RS;
	}

	private static List<HubMessage> parse(HubProtocol protocol, byte[] data) {
		List<HubMessage> messages = new ArrayList<>();
		protocol.parseMessages(ByteBuffer.wrap(data), 0, messages::add);
		return messages;
	}

	private static void assertClosedWithError(List<HubMessage> messages) {
		assertThat(messages).last()
			.isInstanceOfSatisfying(HubMessage.Close.class,
					(close) -> assertThat(close.error()).isEqualTo(CLOSED_WITH_ERROR));
	}

	private static void assertNoStackTrace(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain("StackOverflowError")
			.doesNotContain("DataBufferLimitException")
			.doesNotContain("\tat ");
	}

	@Test
	void messagePackNestedTooDeepOverWebSocketsClosesWithCloseMessage(CapturedOutput output) throws Exception {
		RecordingSocket socket = RecordingSocket.open("/limits");
		socket.sendText(handshake("messagepack"));
		socket.awaitMessages(1);
		socket.sendBinary(deepMessagePack(10_000));

		assertThat(socket.closeCode()).isEqualTo(1000);
		assertClosedWithError(parse(new MessagePackHubProtocol(MAPPER), socket.binary()));
		assertNoStackTrace(output);
	}

	@Test
	void jsonNestedTooDeepOverWebSocketsClosesWithCloseMessage(CapturedOutput output) throws Exception {
		RecordingSocket socket = RecordingSocket.open("/limits");
		socket.sendText(handshake("json"));
		socket.awaitMessages(1);
		socket.sendText(deepJson(10_000));

		assertThat(socket.closeCode()).isEqualTo(1000);
		List<HubMessage> messages = parse(new JsonHubProtocol(MAPPER),
				socket.text().substring(socket.text().indexOf(RS) + 1).getBytes(StandardCharsets.UTF_8));
		assertClosedWithError(messages);
		assertNoStackTrace(output);
	}

	@Test
	void messagePackNestedTooDeepOverLongPollingClosesWithCloseMessage(CapturedOutput output) throws Exception {
		String connection = longPolling("messagepack");
		assertThat(post(connection, deepMessagePack(10_000)).statusCode()).isEqualTo(200);

		HttpResponse<byte[]> poll = poll(connection);
		assertThat(poll.statusCode()).isEqualTo(200);
		assertClosedWithError(parse(new MessagePackHubProtocol(MAPPER), poll.body()));
		assertThat(poll(connection).statusCode()).as("the poll after the Close").isEqualTo(204);
		assertNoStackTrace(output);
	}

	@Test
	void postOverTheLimitOverLongPollingClosesWithCloseMessage(CapturedOutput output) throws Exception {
		String connection = longPolling("json");
		byte[] oversized = ("{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"" + "x".repeat(2 * LIMIT) + "\"]}" + RS)
			.getBytes(StandardCharsets.UTF_8);
		assertThat(post(connection, oversized).statusCode()).isEqualTo(413);

		HttpResponse<byte[]> poll = poll(connection);
		assertThat(poll.statusCode()).isEqualTo(200);
		assertClosedWithError(parse(new JsonHubProtocol(MAPPER), poll.body()));
		assertThat(poll(connection).statusCode()).as("the poll after the Close").isEqualTo(204);
		assertNoStackTrace(output);
	}

	@Test
	void postOfSmallMessagesOverTheLimitClosesWithCloseMessageAfterTheOnesItHolds(CapturedOutput output)
			throws Exception {
		String connection = longPolling("json");
		StringBuilder batch = new StringBuilder();
		int count = 0;
		while (batch.length() <= LIMIT) {
			count++;
			batch.append("{\"type\":1,\"invocationId\":\"").append(count)
				.append("\",\"target\":\"Echo\",\"arguments\":[\"").append("y".repeat(16 * 1024)).append("\"]}")
				.append(RS);
		}
		assertThat(post(connection, batch.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(413);

		List<HubMessage> received = new ArrayList<>();
		while (received.isEmpty() || !(received.get(received.size() - 1) instanceof HubMessage.Close)) {
			HttpResponse<byte[]> poll = poll(connection);
			assertThat(poll.statusCode()).isEqualTo(200);
			received.addAll(parse(new JsonHubProtocol(MAPPER), poll.body()));
		}
		assertClosedWithError(received);
		assertThat(received).filteredOn(HubMessage.Completion.class::isInstance)
			.as("completions of the messages before the limit")
			.hasSizeBetween(1, count - 1);
		assertNoStackTrace(output);
	}

	@Test
	void postOverTheLimitOverServerSentEventsClosesWithCloseMessage(CapturedOutput output) throws Exception {
		String token = negotiate();
		HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri("/limits?id=" + token))
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(events.statusCode()).isEqualTo(200);
		CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> {
			try (InputStream in = events.body()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		String connection = "/limits?id=" + token;
		assertThat(post(connection, handshake("json").getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
		byte[] oversized = ("{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"" + "x".repeat(2 * LIMIT) + "\"]}" + RS)
			.getBytes(StandardCharsets.UTF_8);
		assertThat(post(connection, oversized).statusCode()).isEqualTo(413);

		String data = stream.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		StringBuilder records = new StringBuilder();
		for (String line : data.split("\r?\n")) {
			if (line.startsWith("data: ")) {
				records.append(line.substring(6));
			}
		}
		String afterHandshake = records.substring(records.indexOf(RS) + 1);
		assertClosedWithError(parse(new JsonHubProtocol(MAPPER), afterHandshake.getBytes(StandardCharsets.UTF_8)));
		assertNoStackTrace(output);
	}

	@Test
	void webSocketMessageOverTheLimitClosesWith1009WhetherInOneFrameOrInFragments() throws Exception {
		String reason = "Max frame length of " + LIMIT + " has been exceeded.";
		RecordingSocket single = RecordingSocket.open("/limits");
		single.sendText(handshake("json"));
		single.awaitMessages(1);
		single.sendText("x".repeat(LIMIT + 1));
		assertThat(single.closeCode()).isEqualTo(1009);
		assertThat(single.closeReason()).isEqualTo(reason);

		RecordingSocket fragmented = RecordingSocket.open("/limits");
		fragmented.stopReadingAfterNextMessage();
		fragmented.sendText(handshake("json"));
		fragmented.awaitMessages(1);
		// the client goes on sending its message without reading, as a busy client does: the server reads and
		// drops the rest of the message until the client answers its Close, instead of resetting the connection
		// under it (a reset can lose the Close before the client reads it: 1006)
		String fragment = "x".repeat(64 * 1024);
		int sent = 0;
		for (int i = 0; i < 40; i++) {
			sent += fragmented.sendPart(fragment) ? 1 : 0;
		}
		assertThat(sent).isEqualTo(40);
		fragmented.read();
		assertThat(fragmented.closeCode()).isEqualTo(1009);
		assertThat(fragmented.closeReason()).isEqualTo(reason);
	}

	private static URI uri(String pathAndQuery) {
		return URI.create("http://localhost:" + port + pathAndQuery);
	}

	private static String negotiate() throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/limits/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return MAPPER.readTree(response.body()).get("connectionToken").asString();
	}

	/** A long-polling connection past its handshake, as the path and query of its requests. */
	private static String longPolling(String protocol) throws Exception {
		String connection = "/limits?id=" + negotiate();
		assertThat(poll(connection).statusCode()).isEqualTo(200);
		assertThat(post(connection, handshake(protocol).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
		assertThat(new String(poll(connection).body(), StandardCharsets.UTF_8)).isEqualTo("{}" + RS);
		return connection;
	}

	private static HttpResponse<byte[]> poll(String connection) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(connection)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	private static HttpResponse<byte[]> post(String connection, byte[] body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(connection))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	/** A raw WebSocket that records what the server sends and how it closes. */
	private static final class RecordingSocket implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private volatile int messages;

		private volatile @Nullable String reason;

		private volatile boolean reading = true;

		private @Nullable WebSocket socket;

		static RecordingSocket open(String path) throws Exception {
			RecordingSocket listener = new RecordingSocket();
			listener.socket = HTTP.newWebSocketBuilder()
				.connectTimeout(TIMEOUT)
				.buildAsync(URI.create("ws://localhost:" + port + path), listener)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return listener;
		}

		private WebSocket socket() {
			WebSocket socket = this.socket;
			assertThat(socket).isNotNull();
			return socket;
		}

		void sendText(String data) throws Exception {
			socket().sendText(data, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		/** Sends a fragment of a text message; {@code false} when the socket failed under it. */
		boolean sendPart(String data) {
			try {
				socket().sendText(data, false).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				return true;
			}
			catch (Exception ex) {
				return false;
			}
		}

		void sendBinary(byte[] data) throws Exception {
			socket().sendBinary(ByteBuffer.wrap(data), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		void stopReadingAfterNextMessage() {
			this.reading = false;
		}

		/** Reads on after the last message read: until then, what the server sends waits in the socket. */
		void read() {
			this.reading = true;
			socket().request(1);
		}

		void awaitMessages(int count) {
			org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> this.messages >= count);
		}

		boolean closed() {
			return this.closed.isDone();
		}

		int closeCode() throws Exception {
			return this.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}

		@Nullable String closeReason() throws Exception {
			closeCode();
			return this.reason;
		}

		synchronized String text() {
			return this.text.toString();
		}

		synchronized byte[] binary() {
			return this.binary.toByteArray();
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			synchronized (this) {
				this.text.append(data);
			}
			if (last) {
				this.messages++;
			}
			if (this.reading) {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			synchronized (this) {
				byte[] bytes = new byte[data.remaining()];
				data.get(bytes);
				this.binary.writeBytes(bytes);
			}
			if (last) {
				this.messages++;
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.reason = reason;
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			// a dropped socket: no close frame
			this.closed.complete(1006);
		}
	}

	@Hub("/limits")
	static class LimitsHub {

		public Object echo(Object value) {
			return value;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(LimitsHub.class)
	static class LimitsApplication {

	}
}
