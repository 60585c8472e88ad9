package io.github.springsignalr.protocol;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message to be sent to many connections, serialized at most once per protocol: every recipient
 * speaking the same protocol gets the same bytes.
 */
public final class SerializedHubMessage {

	private final HubMessage message;

	private final @Nullable Map<String, byte[]> serializations;

	private volatile @Nullable HubProtocol firstProtocol;

	private volatile byte @Nullable [] firstBytes;

	private volatile @Nullable HubProtocol secondProtocol;

	private volatile byte @Nullable [] secondBytes;

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
		if (this.firstProtocol == protocol) {
			byte[] bytes = this.firstBytes;
			if (bytes != null) {
				return bytes;
			}
		}
		if (this.secondProtocol == protocol) {
			byte[] bytes = this.secondBytes;
			if (bytes != null) {
				return bytes;
			}
		}
		synchronized (this) {
			if (this.firstProtocol == protocol && this.firstBytes != null) {
				return this.firstBytes;
			}
			if (this.secondProtocol == protocol && this.secondBytes != null) {
				return this.secondBytes;
			}
			byte[] bytes = protocol.writeMessage(this.message);
			if (this.firstProtocol == null) {
				this.firstBytes = bytes;
				this.firstProtocol = protocol;
			}
			else if (this.secondProtocol == null) {
				this.secondBytes = bytes;
				this.secondProtocol = protocol;
			}
			return bytes;
		}
	}
}
