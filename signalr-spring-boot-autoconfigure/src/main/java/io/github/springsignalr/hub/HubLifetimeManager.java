package io.github.springsignalr.hub;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * The only way anything reaches the connections of a hub: sends to all, some or one of them, and
 * group membership. One instance per hub. The in-memory {@link DefaultHubLifetimeManager} serves one
 * node; a backplane implementation serves many.
 *
 * <p>Every method does its work when called (a message is queued for local recipients before the
 * method returns); the returned {@code Mono} completes when the work is done everywhere and need not
 * be subscribed to.
 */
public interface HubLifetimeManager {

	/** A connection of this node completed its handshake. */
	void onConnected(HubConnectionContext connection);

	/**
	 * Completes when a connection passed to {@link #onConnected} can be reached from every node (a
	 * backplane subscribed its channels); at once for a single node.
	 */
	default Mono<Void> whenReachable(HubConnectionContext connection) {
		return Mono.empty();
	}

	/** A connection of this node ended; it leaves its groups. */
	void onDisconnected(HubConnectionContext connection);

	Mono<Void> sendAll(String method, @Nullable Object[] arguments);

	Mono<Void> sendAllExcept(String method, @Nullable Object[] arguments, Collection<String> excludedConnectionIds);

	Mono<Void> sendConnection(String connectionId, String method, @Nullable Object[] arguments);

	Mono<Void> sendConnections(Collection<String> connectionIds, String method, @Nullable Object[] arguments);

	Mono<Void> sendGroup(String groupName, String method, @Nullable Object[] arguments);

	Mono<Void> sendGroups(Collection<String> groupNames, String method, @Nullable Object[] arguments);

	Mono<Void> sendGroupExcept(String groupName, String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds);

	Mono<Void> sendUser(String userId, String method, @Nullable Object[] arguments);

	Mono<Void> sendUsers(Collection<String> userIds, String method, @Nullable Object[] arguments);

	/**
	 * Invokes a method on one connection and waits for the client's result.
	 * @return the result (empty for {@code null}); an error when the client answers with one, the
	 * connection does not exist or it disconnects first
	 */
	<T> Mono<T> invokeConnection(String connectionId, String method, @Nullable Object[] arguments,
			Class<T> resultType);

	Mono<Void> addToGroup(String connectionId, String groupName);

	Mono<Void> removeFromGroup(String connectionId, String groupName);
}
