package io.github.springsignalr.hub;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import reactor.core.publisher.Mono;

/**
 * What the hub runtime needs from the layer that fans messages out (the lifetime manager): to know
 * which connections exist, and the clients and groups a hub method sees.
 */
public interface HubConnectionStore {

	/** A connection completed its handshake. */
	void onConnected(HubConnectionContext connection);

	/**
	 * Completes when a connection that just completed its handshake can be reached from everywhere (a
	 * backplane subscribed its channels); the hub's OnConnected and the client's messages wait for it.
	 */
	default Mono<Void> whenReachable(HubConnectionContext connection) {
		return Mono.empty();
	}

	/** A connection ended; it leaves all its groups. */
	void onDisconnected(HubConnectionContext connection);

	/** The clients as seen from a connection. */
	HubCallerClients callerClients(HubConnectionContext connection);

	/** The hub's groups. */
	GroupManager groups();
}
