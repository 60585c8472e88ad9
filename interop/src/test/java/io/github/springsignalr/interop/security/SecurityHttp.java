package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP and WebSocket client (the JDK's) for the security tests: tokens from
 * {@code /generateJwtToken}, negotiate, transport requests with or without a bearer token, and
 * WebSockets that record what they receive. Every wait is bounded by {@link #TIMEOUT}.
 */
final class SecurityHttp {

	/**
	 * Whether the server's container sends a reason phrase after the status code ({@code 401 Unauthorized}),
	 * as Kestrel, Reactor Netty and Jetty do. Tomcat sends none (since Tomcat 9, with no setting to bring it
	 * back; RFC 9112 makes it optional), and the clients build their error texts from it.
	 */
	static boolean sendsReasonPhrases(WebServerApplicationContext context) {
		return !onTomcat(context);
	}

	/** Whether the server runs on Tomcat (the servlet stack's default) rather than Reactor Netty or Jetty. */
	static boolean onTomcat(WebServerApplicationContext context) {
		return context.getWebServer().getClass().getSimpleName().startsWith("Tomcat");
	}

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final String RS = "\u001e";

	static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	SecurityHttp(int port) {
		this.port = port;
	}

	URI uri(String pathAndQuery) {
		return URI.create("http://localhost:" + this.port + pathAndQuery);
	}

	/** A fresh JWT (valid 5 s) naming {@code user}. */
	String token(String user) {
		HttpResponse<String> response = send("GET", "/generateJwtToken?user=" + user, null, Map.of(), "");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** A fresh JWT naming {@code user}, valid {@code lifetimeSeconds}, with a {@code scope} claim if given. */
	String token(String user, long lifetimeSeconds, @Nullable String scope) {
		HttpResponse<String> response = send("GET", "/generateJwtToken?user=" + user + "&lifetime=" + lifetimeSeconds
				+ ((scope != null) ? "&scope=" + scope : ""), null, Map.of(), "");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** An authentication refresh ({@code POST {hub}/refresh}) of a connection, as the 11.x clients send it. */
	HttpResponse<String> refresh(String hubPath, String connectionToken, @Nullable String bearer) {
		return send("POST", hubPath + "/refresh", bearer, Map.of("X-SignalR-Connection-Token", connectionToken), "");
	}

	/** Sends a request, with {@code Authorization: Bearer <bearer>} unless {@code bearer} is null. */
	/**
	 * Opens a Server-Sent Events stream with the JDK's client (the same on every server stack) and hands
	 * each message of each event's data to {@code messages}; closing it closes the stream.
	 */
	AutoCloseable eventStream(String pathAndQuery, String bearer, java.util.function.Consumer<JsonNode> messages) {
		HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery))
			.header("Accept", "text/event-stream")
			.header("Authorization", "Bearer " + bearer)
			.build();
		CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response = this.client.sendAsync(request,
				HttpResponse.BodyHandlers.ofLines());
		Thread reader = new Thread(() -> {
			try (java.util.stream.Stream<String> lines = response.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).body()) {
				lines.filter((line) -> line.startsWith("data: "))
					.forEach((line) -> messages(line.substring(6)).forEach(messages));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException | RuntimeException ex) {
				// the stream ended or was closed
			}
		}, "sse " + pathAndQuery);
		reader.setDaemon(true);
		reader.start();
		return () -> {
			response.thenAccept((answer) -> answer.body().close());
			response.cancel(true);
			reader.join(TIMEOUT.toMillis());
		};
	}

	HttpResponse<String> send(String method, String pathAndQuery, @Nullable String bearer, Map<String, String> headers,
			String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT)
			.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		headers.forEach(request::header);
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(method + " " + pathAndQuery + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Negotiates (version 1) and returns the answer, which must be a 200. */
	JsonNode negotiate(String hubPath, @Nullable String bearer) {
		HttpResponse<String> response = send("POST", hubPath + "/negotiate?negotiateVersion=1", bearer, Map.of(), "");
		assertThat(response.statusCode()).as("negotiate %s: %s", hubPath, response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/** Opens a WebSocket; the future fails with the handshake's refusal. */
	CompletableFuture<RecordingSocket> webSocket(String pathAndQuery, Map<String, String> headers) {
		RecordingSocket recorder = new RecordingSocket();
		WebSocket.Builder builder = this.client.newWebSocketBuilder().connectTimeout(TIMEOUT);
		headers.forEach(builder::header);
		return builder.buildAsync(URI.create("ws://localhost:" + this.port + pathAndQuery), recorder)
			.thenApply((socket) -> {
				recorder.socket = socket;
				return recorder;
			});
	}

	/** Opens a WebSocket that must be accepted. */
	RecordingSocket openWebSocket(String pathAndQuery, Map<String, String> headers) {
		try {
			return webSocket(pathAndQuery, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("WebSocket " + pathAndQuery + " was not accepted", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The HTTP status a WebSocket upgrade is refused with (fails when it is accepted). */
	int refusedWebSocketStatus(String pathAndQuery, Map<String, String> headers) {
		try {
			RecordingSocket accepted = webSocket(pathAndQuery, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			accepted.abort();
			throw new AssertionError("WebSocket " + pathAndQuery + " was accepted");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refusal) {
				return refusal.getResponse().statusCode();
			}
			throw new AssertionError("WebSocket " + pathAndQuery + " failed without an HTTP answer", ex);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("WebSocket " + pathAndQuery + " got no answer within " + TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The hub messages in a body of records separated by the record separator. */
	static List<JsonNode> messages(String records) {
		List<JsonNode> messages = new ArrayList<>();
		for (String record : records.split(RS)) {
			if (!record.isBlank()) {
				messages.add(JSON.readTree(record));
			}
		}
		return messages;
	}

	static String invocation(String invocationId, String target, String... arguments) {
		StringBuilder json = new StringBuilder("{\"type\":1,\"invocationId\":\"").append(invocationId)
			.append("\",\"target\":\"").append(target).append("\",\"arguments\":[");
		for (int i = 0; i < arguments.length; i++) {
			json.append(i > 0 ? "," : "").append(JSON.writeValueAsString(arguments[i]));
		}
		return json.append("]}").append(RS).toString();
	}

	static JsonNode parse(String json) {
		return JSON.readTree(json);
	}

	/** A WebSocket that keeps every hub message and the close it gets. */
	static final class RecordingSocket implements WebSocket.Listener {

		private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

		private final List<JsonNode> seen = new ArrayList<>();

		private final StringBuilder partial = new StringBuilder();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private volatile @Nullable WebSocket socket;

		/** The connection token the socket was opened with, when a test keeps it here. */
		String connectionToken = "";

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				messages(this.partial.toString()).forEach(this.messages::add);
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

		void send(String text) {
			WebSocket socket = this.socket;
			assertThat(socket).isNotNull();
			socket.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
		}

		/** Sends the JSON handshake and waits for the empty handshake response. */
		void handshake() {
			send(HANDSHAKE);
			JsonNode response = next((message) -> true);
			assertThat(response.isEmpty()).as("handshake response %s", response).isTrue();
		}

		/** The first message (since the last one taken) that matches, skipping Pings; fails after the timeout. */
		JsonNode next(Predicate<JsonNode> wanted) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			try {
				while (true) {
					long left = deadline - System.nanoTime();
					JsonNode message = (left > 0) ? this.messages.poll(left, TimeUnit.NANOSECONDS) : null;
					if (message == null) {
						throw new AssertionError("No matching message within " + TIMEOUT + "; received " + this.seen);
					}
					this.seen.add(message);
					if (wanted.test(message)) {
						return message;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** Every message received so far (including ones already taken). */
		List<JsonNode> received() {
			this.messages.drainTo(this.seen);
			return List.copyOf(this.seen);
		}

		/** The close code, once the socket closes; fails after the timeout. */
		int closeCode() {
			try {
				return this.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new AssertionError("The socket did not close within " + TIMEOUT, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		boolean isClosed() {
			return this.closed.isDone();
		}

		void abort() {
			WebSocket socket = this.socket;
			if (socket != null) {
				socket.abort();
			}
		}

		void close() {
			WebSocket socket = this.socket;
			if (socket != null && !socket.isOutputClosed()) {
				socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
					.exceptionally((ex) -> null)
					.join();
			}
		}
	}
}
