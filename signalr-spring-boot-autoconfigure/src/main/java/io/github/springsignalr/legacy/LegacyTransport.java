package io.github.springsignalr.legacy;

/**
 * A live server-to-client channel of a classic connection (a WebSocket, an event stream, a forever
 * frame), given by the web layer: the connection writes its PersistentResponses, results and
 * keep-alives through it.
 */
public interface LegacyTransport {

	/** Writes one JSON object to the client; {@code false} when the channel is gone. */
	boolean write(String json);

	/** Ends the channel: another replaced it, or the connection ended. */
	void end();
}
