package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket's messages put together from the container's parts, up to the largest message accepted.
 * Tomcat allocates each socket's message buffer at the size it is told to accept (a 1 MB limit cost every
 * JSON socket 2 MB of heap for its life), so the container's buffers stay small and messages are
 * reassembled here only when they span several parts; a message over the limit closes the socket with
 * 1009, as on WebFlux.
 */
final class WebSocketMessages {

	/** The container's message buffer: most SignalR messages fit in one part and are not copied again. */
	static final int CONTAINER_BUFFER = 8 * 1024;

	private final int maxMessageSize;

	private final Consumer<byte[]> received;

	private @Nullable Session session;

	/** The parts of the message being received, when it spans several. */
	private @Nullable ByteArrayOutputStream parts;

	/**
	 * @param maxMessageSize largest message accepted, in bytes
	 * @param received takes each whole message, on the container's thread
	 */
	WebSocketMessages(int maxMessageSize, Consumer<byte[]> received) {
		this.maxMessageSize = maxMessageSize;
		this.received = received;
	}

	/** Has {@code session} hand its text and binary messages here, with small container buffers. */
	void register(Session session) {
		this.session = session;
		session.setMaxTextMessageBufferSize(CONTAINER_BUFFER);
		session.setMaxBinaryMessageBufferSize(CONTAINER_BUFFER);
		session.addMessageHandler(String.class,
				(MessageHandler.Partial<String>) (text, last) -> part(text.getBytes(StandardCharsets.UTF_8), last));
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (buffer, last) -> {
			byte[] data = new byte[buffer.remaining()];
			buffer.get(data);
			part(data, last);
		});
	}

	private void part(byte[] data, boolean last) {
		ByteArrayOutputStream parts = this.parts;
		int size = data.length + ((parts != null) ? parts.size() : 0);
		if (size > this.maxMessageSize) {
			this.parts = null;
			tooBig();
			return;
		}
		if (parts == null && last) {
			this.received.accept(data);
			return;
		}
		if (parts == null) {
			parts = new ByteArrayOutputStream(Math.max(2 * data.length, 256));
			this.parts = parts;
		}
		parts.writeBytes(data);
		if (last) {
			this.parts = null;
			this.received.accept(parts.toByteArray());
		}
	}

	/** Closes the socket with 1009 and the text WebFlux (Netty) closes with. */
	private void tooBig() {
		Session session = this.session;
		if (session == null || !session.isOpen()) {
			return;
		}
		try {
			session.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG,
					"Max frame length of " + this.maxMessageSize + " has been exceeded."));
		}
		catch (IOException ex) {
			// the socket is gone either way
		}
	}
}
