package io.github.springsignalr.legacy;

/**
 * A live server-to-client channel of a classic connection (a WebSocket, an event stream, a forever
 * frame), given by the web layer: the connection writes its PersistentResponses, results and
 * keep-alives through it.
 */
public interface LegacyTransport {

	/**
	 * Writes one JSON object (UTF-8) to the client; {@code false} when the channel is gone. The array is
	 * the transport's from then on: the connection never changes it.
	 */
	boolean write(byte[] json);

	/**
	 * Writes a message just buffered in its PersistentResponse, {@code {"C":"<cursor>","M":[<json>]}}, the
	 * cursor being {@code cursorPrefix} and {@code seq} in hex. {@code json} is shared by every recipient of
	 * the message: a transport keeps it, never changes it. By default the response is written as one array.
	 */
	default boolean write(byte[] cursorPrefix, long seq, byte[] json) {
		return write(OutboundBuffer.envelope(cursorPrefix, seq, json));
	}

	/** Ends the channel: another replaced it, or the connection ended. */
	void end();
}
