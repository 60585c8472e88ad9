package io.github.springsignalr.test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.TextMessageFormat;
import io.github.springsignalr.protocol.TransferFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebSocket of a {@link HubTestConnection} (the JDK's {@code java.net.http} client): the handshake,
 * framing of what is sent (one message per frame, sends kept in order), and reading what comes.
 */
final class TesterSocket implements WebSocket.Listener {

	private static final JsonMapper HANDSHAKE_READER = JsonMapper.builder().build();

	private final HubProtocol protocol;

	private final CompletableFuture<@Nullable String> handshake = new CompletableFuture<>();

	private final ByteArrayOutputStream frame = new ByteArrayOutputStream();

	private final Object sendLock = new Object();

	private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

	private ByteBuffer unread = ByteBuffer.allocate(0);

	private @Nullable WebSocket webSocket;

	private Consumer<HubMessage> receiver = (message) -> {
	};

	private Consumer<@Nullable String> onClosed = (error) -> {
	};

	TesterSocket(HubProtocol protocol) {
		this.protocol = protocol;
	}

	void open(HttpClient http, URI uri, Map<String, String> headers, Duration timeout, Consumer<HubMessage> receiver,
			Consumer<@Nullable String> onClosed) {
		this.receiver = receiver;
		this.onClosed = onClosed;
		WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
		headers.forEach(builder::header);
		try {
			this.webSocket = builder.buildAsync(uri, this).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			Throwable cause = (ex instanceof java.util.concurrent.ExecutionException) ? ex.getCause() : ex;
			throw new AssertionError("The WebSocket to " + uri + " did not open: " + cause, cause);
		}
	}

	/** Sends the handshake request and waits for the server's answer. */
	void handshake(Duration timeout) {
		String request = "{\"protocol\":\"" + this.protocol.name() + "\",\"version\":" + Math.min(1, this.protocol.version())
				+ "}" + (char) TextMessageFormat.RECORD_SEPARATOR;
		sendFrame(request.getBytes(StandardCharsets.UTF_8), false);
		String error;
		try {
			error = this.handshake.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			close();
			throw new AssertionError("No handshake response within " + timeout + ": " + ex);
		}
		if (error != null) {
			close();
			throw new AssertionError("The server refused the handshake: " + error);
		}
	}

	void send(HubMessage message) {
		sendFrame(this.protocol.writeMessage(message), this.protocol.transferFormat() == TransferFormat.BINARY);
	}

	private void sendFrame(byte[] bytes, boolean binary) {
		WebSocket socket = this.webSocket;
		if (socket == null || socket.isOutputClosed()) {
			return;
		}
		synchronized (this.sendLock) {
			this.lastSend = this.lastSend.handle((ignored, failure) -> null)
				.thenCompose((ignored) -> binary ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
						: socket.sendText(new String(bytes, StandardCharsets.UTF_8), true));
		}
	}

	void close() {
		WebSocket socket = this.webSocket;
		if (socket != null && !socket.isOutputClosed()) {
			synchronized (this.sendLock) {
				this.lastSend = this.lastSend.handle((ignored, failure) -> null)
					.thenCompose((ignored) -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
			}
		}
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
		byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
		this.frame.write(bytes, 0, bytes.length);
		return frameDone(socket, last);
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.frame.write(bytes, 0, bytes.length);
		return frameDone(socket, last);
	}

	private @Nullable CompletionStage<?> frameDone(WebSocket socket, boolean last) {
		if (last) {
			byte[] bytes = this.frame.toByteArray();
			this.frame.reset();
			read(bytes);
		}
		socket.request(1);
		return null;
	}

	private void read(byte[] bytes) {
		ByteBuffer input = ByteBuffer.allocate(this.unread.remaining() + bytes.length);
		input.put(this.unread).put(bytes).flip();
		if (!this.handshake.isDone()) {
			int end = TextMessageFormat.indexOfSeparator(input);
			if (end < 0) {
				this.unread = input;
				return;
			}
			byte[] response = new byte[end - input.position()];
			input.get(response);
			input.get();
			JsonNode answer = HANDSHAKE_READER.readTree(new String(response, StandardCharsets.UTF_8));
			this.handshake.complete(answer.hasNonNull("error") ? answer.path("error").asString() : null);
		}
		this.protocol.parseMessages(input, Integer.MAX_VALUE, this.receiver);
		this.unread = input.slice();
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
		this.handshake.complete("the socket closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
		this.onClosed.accept(null);
		return null;
	}

	@Override
	public void onError(WebSocket socket, Throwable error) {
		this.handshake.complete("the socket failed: " + error);
		this.onClosed.accept("the socket failed: " + error);
	}
}
