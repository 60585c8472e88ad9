package io.github.springsignalr.webmvc;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.MessagePackHubProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Java client does not cover, on Tomcat: Server-Sent Events, MessagePack over WebSockets and
 * long polling, and the reference's answers to wrong transport requests.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "signalr.long-polling.poll-timeout=1s")
class RawClientsOnTomcatTests {

	private static final String RS = "\u001e";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final MessagePackHubProtocol MESSAGE_PACK = new MessagePackHubProtocol(JSON);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void serverSentEventsCarryTheHandshakeAndCompletionsOfPostedInvocations() throws Exception {
		String token = negotiate();
		HttpResponse<InputStream> stream = this.http.send(
				get("/echo?id=" + token).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
		assertThat(events.readLine()).isEqualTo(":");
		assertThat(post(token, "{\"protocol\":\"json\",\"version\":1}" + RS).statusCode()).isEqualTo(200);
		assertThat(nextEvent(events)).isEqualTo("{}" + RS);
		post(token, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"over SSE\"]}" + RS);
		JsonNode completion = JSON.readTree(nextEvent(events).replace(RS, ""));
		assertThat(completion.get("type").asInt()).isEqualTo(3);
		assertThat(completion.get("result").asString()).isEqualTo("over SSE");
		// a second event stream for the same connection is refused
		HttpResponse<String> second = this.http.send(get("/echo?id=" + token).header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(second.statusCode()).isEqualTo(409);
		stream.body().close();
	}

	@Test
	void messagePackOverWebSocketsGoesInBinaryFrames() throws Exception {
		String token = negotiate();
		LinkedBlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/echo?id=" + token), new WebSocket.Listener() {
				private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

				@Override
				public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
					byte[] bytes = new byte[data.remaining()];
					data.get(bytes);
					this.partial.writeBytes(bytes);
					if (last) {
						frames.add(ByteBuffer.wrap(this.partial.toByteArray()));
						this.partial.reset();
					}
					webSocket.request(1);
					return null;
				}

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					frames.add(ByteBuffer.wrap(data.toString().getBytes(StandardCharsets.UTF_8)));
					webSocket.request(1);
					return null;
				}
			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"protocol\":\"messagepack\",\"version\":1}" + RS, true).get(10, TimeUnit.SECONDS);
		assertThat(StandardCharsets.UTF_8.decode(frames.poll(10, TimeUnit.SECONDS)).toString()).isEqualTo("{}" + RS);
		socket.sendBinary(ByteBuffer.wrap(MESSAGE_PACK.writeMessage(
				new HubMessage.Invocation("7", "Echo", List.of("packed")))), true).get(10, TimeUnit.SECONDS);
		HubMessage.Completion completion = completion(frames.poll(10, TimeUnit.SECONDS));
		assertThat(completion.invocationId()).isEqualTo("7");
		assertThat(MESSAGE_PACK.bind(completion.result(), String.class)).isEqualTo("packed");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
	}

	@Test
	void webSocketWithoutNegotiationAcceptsAQueryWithBase64Padding() throws Exception {
		// signalrcore skips negotiation with such a query; a strict URI parser refuses the '=' in a value
		LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/echo?key=G8Y1Z+GeDLdbSRDkdRedXA=="),
					new WebSocket.Listener() {
						@Override
						public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
							frames.add(data.toString());
							webSocket.request(1);
							return null;
						}
					})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).get(10, TimeUnit.SECONDS);
		assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("{}" + RS);
		socket.sendText("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"padded\"]}" + RS, true)
			.get(10, TimeUnit.SECONDS);
		assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"result\":\"padded\"");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
	}

	@Test
	void messagePackOverLongPollingAnswersPollsWithBinaryBodies() throws Exception {
		String token = negotiate();
		HttpResponse<byte[]> first = this.http.send(get("/echo?id=" + token).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEmpty();
		post(token, "{\"protocol\":\"messagepack\",\"version\":1}" + RS);
		assertThat(new String(poll(token).body(), StandardCharsets.UTF_8)).isEqualTo("{}" + RS);
		CompletableFuture<HttpResponse<byte[]>> held = this.http.sendAsync(get("/echo?id=" + token).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		HttpRequest invocation = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/echo?id=" + token))
			.POST(HttpRequest.BodyPublishers.ofByteArray(
					MESSAGE_PACK.writeMessage(new HubMessage.Invocation("3", "Echo", List.of("polled")))))
			.header("Content-Type", "application/octet-stream")
			.build();
		assertThat(this.http.send(invocation, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		HttpResponse<byte[]> answer = held.get(10, TimeUnit.SECONDS);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		HubMessage.Completion completion = completion(ByteBuffer.wrap(answer.body()));
		assertThat(MESSAGE_PACK.bind(completion.result(), String.class)).isEqualTo("polled");
		// a poll without data ends after the poll timeout (1 s here) with an empty 200
		long started = System.nanoTime();
		HttpResponse<byte[]> idle = poll(token);
		assertThat(idle.statusCode()).isEqualTo(200);
		assertThat(idle.body()).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
		HttpResponse<String> deleted = this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/echo?id=" + token))
			.DELETE()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(deleted.statusCode()).isEqualTo(202);
		assertThat(poll(token).statusCode()).isEqualTo(404);
	}

	@Test
	void wrongRequestsGetTheReferenceStatusCodesAndTexts() throws Exception {
		assertThat(send(get("/echo/negotiate").build())).isEqualTo("405:");
		assertThat(send(post("/echo/negotiate?negotiateVersion=x")))
			.isEqualTo("200:{\"error\":\"The client requested a non-integer protocol version.\"}");
		assertThat(send(get("/echo").build())).isEqualTo("400:Connection ID required");
		assertThat(send(get("/echo?id=unknown").build())).isEqualTo("404:No Connection with that ID");
		String token = negotiate();
		assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/echo?id=" + token))
			.DELETE()
			.build())).isEqualTo("400:Cannot terminate this connection using the DELETE endpoint.");
		assertThat(send(get("/echo?id=" + token).build())).isEqualTo("200:");
		assertThat(send(get("/echo?id=" + token).header("Accept", "text/event-stream").build()))
			.isEqualTo("400:Cannot change transports mid-connection");
		assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/ECHO/Negotiate"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build())).startsWith("200:{\"negotiateVersion\":0,");
	}

	private static HubMessage.Completion completion(ByteBuffer frame) {
		List<HubMessage> messages = new ArrayList<>();
		MESSAGE_PACK.parseMessages(frame, 1 << 20, messages::add);
		assertThat(messages).hasSize(1).first().isInstanceOf(HubMessage.Completion.class);
		return (HubMessage.Completion) messages.get(0);
	}

	private static String nextEvent(BufferedReader events) throws Exception {
		StringBuilder data = new StringBuilder();
		String line;
		while ((line = events.readLine()) != null && !line.isEmpty()) {
			assertThat(line).startsWith("data: ");
			data.append(line.substring(6));
		}
		return data.toString();
	}

	private String negotiate() throws Exception {
		HttpResponse<String> response = this.http.send(post("/echo/negotiate?negotiateVersion=1"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readTree(response.body()).get("connectionToken").asString();
	}

	private HttpResponse<byte[]> poll(String token) throws Exception {
		return this.http.send(get("/echo?id=" + token).build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private HttpResponse<String> post(String token, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/echo?id=" + token))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "text/plain")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest post(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

	private String send(HttpRequest request) throws Exception {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + ":" + response.body();
	}
}
