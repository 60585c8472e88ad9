package io.github.springsignalr.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A message to be sent to many connections, serialized at most once per protocol: every recipient
 * speaking the same protocol gets the same bytes.
 */
public final class SerializedHubMessage {

	private final HubMessage message;

	private volatile @Nullable HubProtocol firstProtocol;

	private volatile byte @Nullable [] firstBytes;

	private volatile @Nullable HubProtocol secondProtocol;

	private volatile byte @Nullable [] secondBytes;

	public SerializedHubMessage(HubMessage message) {
		this.message = message;
	}

	public HubMessage message() {
		return this.message;
	}

	/** The message's bytes in the given protocol, serialized on first use. */
	public byte[] bytes(HubProtocol protocol) {
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
