package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A hub protocol: how {@link HubMessage}s are written to and read from bytes. Implementations are
 * stateless and thread-safe; framing state of a connection lives in the caller's buffer.
 */
public interface HubProtocol {

	/** The name a client asks for in its handshake, e.g. {@code json}. */
	String name();

	/** The newest protocol version supported; older versions are accepted too. */
	int version();

	/** Whether this protocol needs text or binary frames. */
	TransferFormat transferFormat();

	/**
	 * Reads as many complete messages as {@code input} holds, advancing its position past each one.
	 * A trailing partial message is left in the buffer (position at its start).
	 * @param input bytes received from the client
	 * @param maxMessageSize largest accepted message in bytes; a larger one raises {@link InvalidDataException}
	 * @param messages receives each message read; unknown message types are skipped
	 * @throws InvalidDataException when the bytes are not a valid message
	 */
	void parseMessages(ByteBuffer input, int maxMessageSize, Consumer<HubMessage> messages);

	/** Writes one message with its framing. */
	byte[] writeMessage(HubMessage message);

	/**
	 * Converts a raw value read by {@link #parseMessages} to the given Java type.
	 * @throws RuntimeException when the value does not fit the type
	 */
	@Nullable Object bind(@Nullable Object raw, Type type);
}
