package io.github.springsignalr;

import java.util.Collection;

/**
 * The connections of one {@link ConnectionHandler} endpoint: send to one, to all, to groups. This is the
 * "persistent connection" API of SignalR 2, without the hub protocol.
 */
public interface Connections {

	/** Sends data to one connection; {@code false} when it is not connected here. */
	boolean send(String connectionId, byte[] data);

	/** Sends data to every connection except the given ones. */
	void broadcast(byte[] data, Collection<String> excludedConnectionIds);

	/** Sends data to every connection. */
	default void broadcast(byte[] data) {
		broadcast(data, java.util.List.of());
	}

	/** Adds a connection to a group; adding twice is harmless. */
	void addToGroup(String connectionId, String group);

	/** Removes a connection from a group; removing an absent one is harmless. */
	void removeFromGroup(String connectionId, String group);

	/** Sends data to every connection of a group except the given ones. */
	void sendToGroup(String group, byte[] data, Collection<String> excludedConnectionIds);

	/** Number of connections on this endpoint. */
	int count();
}
