package io.github.springsignalr.protocol;

import java.util.Arrays;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message to be sent to many connections, serialized at most once per protocol (however many are in
 * use: JSON, MessagePack, the classic encoding of each hub): every recipient speaking the same protocol
 * gets the same bytes.
 */
public final class SerializedHubMessage {

	private static final Serialized[] NONE = new Serialized[0];

	private final HubMessage message;

	private final @Nullable Map<String, byte[]> serializations;

	/** The bytes serialized so far, one entry per protocol instance; replaced, never changed. */
	private volatile Serialized[] cache = NONE;

	public SerializedHubMessage(HubMessage message) {
		this.message = message;
		this.serializations = null;
	}

	private SerializedHubMessage(HubMessage message, Map<String, byte[]> serializations) {
		this.message = message;
		this.serializations = Map.copyOf(serializations);
	}

	/**
	 * A message serialized elsewhere (by another node, through a backplane): its bytes by protocol name,
	 * never serialized again.
	 * @param message the message or a stand-in of the same type (writers look only at its type)
	 * @param serializations the bytes of the message for each protocol name
	 */
	public static SerializedHubMessage ofSerialized(HubMessage message, Map<String, byte[]> serializations) {
		return new SerializedHubMessage(message, serializations);
	}

	public HubMessage message() {
		return this.message;
	}

	/** The message's bytes in the given protocol, serialized on first use. */
	public byte[] bytes(HubProtocol protocol) {
		Map<String, byte[]> serializations = this.serializations;
		if (serializations != null) {
			byte[] bytes = serializations.get(protocol.name());
			if (bytes == null) {
				throw new IllegalStateException("The message was not serialized for protocol " + protocol.name());
			}
			return bytes;
		}
		byte[] bytes = cached(this.cache, protocol);
		if (bytes != null) {
			return bytes;
		}
		synchronized (this) {
			Serialized[] cache = this.cache;
			bytes = cached(cache, protocol);
			if (bytes == null) {
				bytes = protocol.writeMessage(this.message);
				Serialized[] grown = Arrays.copyOf(cache, cache.length + 1);
				grown[cache.length] = new Serialized(protocol, bytes);
				this.cache = grown;
			}
			return bytes;
		}
	}

	private static byte @Nullable [] cached(Serialized[] cache, HubProtocol protocol) {
		for (Serialized serialized : cache) {
			if (serialized.protocol() == protocol) {
				return serialized.bytes();
			}
		}
		return null;
	}

	/** The bytes of the message in one protocol. */
	private record Serialized(HubProtocol protocol, byte[] bytes) {
	}
}
