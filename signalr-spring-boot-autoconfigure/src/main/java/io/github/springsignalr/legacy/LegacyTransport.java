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

	/** Ends the channel: another replaced it, or the connection ended. */
	void end();
}
