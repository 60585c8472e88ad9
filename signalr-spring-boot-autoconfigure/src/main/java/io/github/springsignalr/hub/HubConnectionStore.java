package io.github.springsignalr.hub;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;

/**
 * What the hub runtime needs from the layer that fans messages out (the lifetime manager): to know
 * which connections exist, and the clients and groups a hub method sees.
 */
public interface HubConnectionStore {

	/** A connection completed its handshake. */
	void onConnected(HubConnectionContext connection);

	/** A connection ended; it leaves all its groups. */
	void onDisconnected(HubConnectionContext connection);

	/** The clients as seen from a connection. */
	HubCallerClients callerClients(HubConnectionContext connection);

	/** The hub's groups. */
	GroupManager groups();
}
