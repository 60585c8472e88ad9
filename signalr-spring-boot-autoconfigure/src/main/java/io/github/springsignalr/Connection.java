package io.github.springsignalr;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.protocol.TransferFormat;

/**
 * One client connection, whatever its transport: what a {@link ConnectionHandler} sees of it.
 */
public interface Connection {

	/** Public id of the connection (the negotiate {@code connectionId}). */
	String id();

	/** Transport in use. */
	TransportType transport();

	/** The HTTP request that established the transport. */
	ConnectionRequest request();

	/** Authenticated user, if any. */
	@Nullable Principal user();

	/** State an application keeps for the lifetime of the connection. */
	Map<Object, Object> items();

	/** Whether data sent is text or binary; {@link TransferFormat#TEXT} unless changed. */
	TransferFormat transferFormat();

	/** Sets whether data sent goes in text or binary frames. */
	void transferFormat(TransferFormat format);

	/**
	 * Queues data for the client; never blocks.
	 * @return {@code false} when the connection is closed or its outbound buffer overflowed (which closes it)
	 */
	boolean send(byte[] data);

	/** Sends what is queued, then ends the connection. */
	void close();

	/** Ends the connection at once, with an error when {@code cause} is given. */
	void abort(@Nullable Throwable cause);

	/** Whether the connection has ended or is ending. */
	boolean isClosed();

	/** The endpoint this connection belongs to, for sending to other connections and groups. */
	Connections connections();

	/**
	 * An optional capability of the connection's transport (heartbeat, shutdown notice, stateful
	 * reconnect, flow control and the like; see {@code io.github.springsignalr.connection.ConnectionFeatures}),
	 * as ASP.NET Core's connection features.
	 * @return the capability, or {@code null} when this connection does not have it
	 */
	default <T> @Nullable T feature(Class<T> type) {
		return null;
	}
}
