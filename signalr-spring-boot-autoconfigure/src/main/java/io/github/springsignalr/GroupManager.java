package io.github.springsignalr;

import reactor.core.publisher.Mono;

/**
 * Adds connections to and removes them from the groups of a hub. Both are idempotent; a connection
 * leaves all its groups when it disconnects. The change is made when the method is called; the
 * {@code Mono} completes when it is in effect everywhere (at once in memory, after the backplane's
 * acknowledgement when scaled out).
 */
public interface GroupManager {

	/** Adds a connection to a group. */
	Mono<Void> addToGroup(String connectionId, String groupName);

	/** Removes a connection from a group. */
	Mono<Void> removeFromGroup(String connectionId, String groupName);
}
