package io.github.springsignalr.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * WebSocket transport settings.
 *
 * <p>The {@code signalr.websocket.*} group of {@link SignalRProperties}.
 */
public class SignalRWebSocketProperties {

	/**
	 * Largest WebSocket message, or long-polling or Server-Sent Events POST body, accepted from a client;
	 * one may carry several hub messages. A larger message closes the socket with 1009; a larger POST is
	 * answered 413 and closes the connection with the Close of invalid data.
	 */
	private DataSize maxFrameSize = DataSize.ofMegabytes(1);

	public DataSize getMaxFrameSize() {
		return this.maxFrameSize;
	}

	public void setMaxFrameSize(DataSize maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
	}

}
