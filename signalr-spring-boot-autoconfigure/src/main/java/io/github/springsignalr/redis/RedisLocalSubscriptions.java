package io.github.springsignalr.redis;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.HubConnectionStore;
import io.github.springsignalr.hub.HubConnectionStore.Recipients;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * The connections, groups and users of this node (a {@link HubConnectionStore}) and the Redis channels
 * subscribed for them, as ASP.NET Core's {@code RedisSubscriptionManager}: each connection's channel
 * while it is connected; a group's or user's channel while it has local members (the first member
 * subscribes, the last one to leave unsubscribes). Membership changes of groups, and of users, are
 * serialized so the subscribe and unsubscribe commands reach Redis in the order of the changes.
 * Invocations received from other nodes are written here to the local recipients.
 */
final class RedisLocalSubscriptions {

	// under the manager's name, where its warnings have always been logged
	private static final Log logger = LogFactory.getLog(RedisHubLifetimeManager.class);

	private final RedisBackplane backplane;

	private final String nodeId;

	private final RedisChannels channels;

	private final BiConsumer<HubConnectionContext, byte[]> onConnectionMessage;

	private final Consumer<Mono<?>> logFailure;

	private final HubConnectionStore connections = new HubConnectionStore();

	private final Map<String, Mono<Void>> subscribing = new ConcurrentHashMap<>();

	/** The subscription of each group channel, while the group has local members; guarded by itself. */
	private final Map<String, Mono<Void>> groups = new ConcurrentHashMap<>();

	/** The subscription of each user channel, while the user has local connections; guarded by itself. */
	private final Map<String, Mono<Void>> users = new ConcurrentHashMap<>();

	private final Set<String> missingProtocols = ConcurrentHashMap.newKeySet();

	/**
	 * @param onConnectionMessage handles a payload of a connection's own channel
	 * @param logFailure logs the failure of a command nobody waits for
	 */
	RedisLocalSubscriptions(RedisBackplane backplane, RedisChannels channels,
			BiConsumer<HubConnectionContext, byte[]> onConnectionMessage, Consumer<Mono<?>> logFailure) {
		this.backplane = backplane;
		this.nodeId = backplane.nodeId();
		this.channels = channels;
		this.onConnectionMessage = onConnectionMessage;
		this.logFailure = logFailure;
	}

	/** The connections of this node. */
	HubConnectionStore connections() {
		return this.connections;
	}

	/** Number of group channels subscribed: groups with members on this node. */
	int groupCount() {
		return this.groups.size();
	}

	/** Number of user channels subscribed: users with connections on this node. */
	int userCount() {
		return this.users.size();
	}

	/** Adds a connection and subscribes its channel, and its user's; {@link #whenReachable} waits for them. */
	void connect(HubConnectionContext connection) {
		String id = connection.connectionId();
		this.connections.add(connection);
		Mono<Void> subscribed = this.backplane.subscribe(this.channels.connection(id),
				(payload) -> this.onConnectionMessage.accept(connection, payload));
		String user = connection.userIdentifier();
		if (user != null) {
			subscribed = Mono.when(subscribed, joinUser(user, connection));
		}
		this.subscribing.put(id, subscribed);
	}

	/** Completes when the channels of the connection (and of its user) are subscribed. */
	Mono<Void> whenReachable(HubConnectionContext connection) {
		Mono<Void> subscribed = this.subscribing.remove(connection.connectionId());
		return (subscribed != null) ? subscribed : Mono.empty();
	}

	/** Removes a connection from this node, its groups and its user, leaving the channels no one needs. */
	void disconnect(HubConnectionContext connection) {
		String id = connection.connectionId();
		this.subscribing.remove(id);
		if (this.connections.remove(connection)) {
			this.logFailure.accept(this.backplane.unsubscribe(this.channels.connection(id)));
		}
		for (String group : connection.groupNames()) {
			leaveGroup(group, connection);
		}
		connection.groupNames().clear();
		String user = connection.userIdentifier();
		if (user != null) {
			leaveUser(user, connection);
		}
	}

	/** Adds a connection of this node to a group; completes when the group's channel is subscribed. */
	Mono<Void> addToGroup(HubConnectionContext connection, String groupName) {
		connection.groupNames().add(groupName);
		Mono<Void> subscribed = joinGroup(groupName, connection);
		if (this.connections.get(connection.connectionId()) == null) {
			// disconnected meanwhile: undo, so no group keeps a dead connection
			removeFromGroup(connection, groupName);
		}
		return subscribed;
	}

	void removeFromGroup(HubConnectionContext connection, String groupName) {
		leaveGroup(groupName, connection);
		connection.groupNames().remove(groupName);
	}

	private Mono<Void> joinGroup(String groupName, HubConnectionContext connection) {
		synchronized (this.groups) {
			if (!this.connections.addToGroup(groupName, connection)) {
				return subscription(this.groups, groupName);
			}
			Mono<Void> subscribed = this.backplane.subscribe(this.channels.group(groupName),
					(payload) -> onGroupMessage(groupName, payload));
			this.groups.put(groupName, subscribed);
			return subscribed;
		}
	}

	private void leaveGroup(String groupName, HubConnectionContext connection) {
		synchronized (this.groups) {
			if (this.connections.removeFromGroup(groupName, connection)) {
				this.groups.remove(groupName);
				this.logFailure.accept(this.backplane.unsubscribe(this.channels.group(groupName)));
			}
		}
	}

	private Mono<Void> joinUser(String userId, HubConnectionContext connection) {
		synchronized (this.users) {
			if (!this.connections.addToUser(userId, connection)) {
				return subscription(this.users, userId);
			}
			Mono<Void> subscribed = this.backplane.subscribe(this.channels.user(userId),
					(payload) -> onUserMessage(userId, payload));
			this.users.put(userId, subscribed);
			return subscribed;
		}
	}

	private void leaveUser(String userId, HubConnectionContext connection) {
		synchronized (this.users) {
			if (this.connections.removeFromUser(userId, connection)) {
				this.users.remove(userId);
				this.logFailure.accept(this.backplane.unsubscribe(this.channels.user(userId)));
			}
		}
	}

	private static Mono<Void> subscription(Map<String, Mono<Void>> subscriptions, String key) {
		Mono<Void> subscribed = subscriptions.get(key);
		// the key has members, so it is subscribed: changes of both are made under one lock
		return (subscribed != null) ? subscribed : Mono.empty();
	}

	/** Handles a payload of the hub's {@code :all} channel. */
	void onAllMessage(byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation != null) {
			this.connections.send(Recipients.allExcept(excluded(invocation)),
					RedisProtocol.message(invocation.serializations()),
					(connection) -> deliverable(connection, invocation));
		}
	}

	private void onGroupMessage(String groupName, byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation != null) {
			this.connections.send(Recipients.groupExcept(groupName, excluded(invocation)),
					RedisProtocol.message(invocation.serializations()),
					(connection) -> groupName.equals(firstGroupOf(connection, invocation.groups(), groupName))
							&& deliverable(connection, invocation));
		}
	}

	/** Of the groups a message was sent to, the first the connection is in. */
	private static String firstGroupOf(HubConnectionContext connection, List<String> groups, String received) {
		for (String group : groups) {
			if (connection.groupNames().contains(group)) {
				return group;
			}
		}
		return received;
	}

	private void onUserMessage(String userId, byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation != null) {
			this.connections.send(Recipients.user(userId).except(excluded(invocation)),
					RedisProtocol.message(invocation.serializations()),
					(connection) -> deliverable(connection, invocation));
		}
	}

	/** Writes an invocation received on a connection's own channel to it. */
	void deliver(HubConnectionContext connection, RedisProtocol.Invocation invocation) {
		if (deliverable(connection, invocation)) {
			connection.write(RedisProtocol.message(invocation.serializations()));
		}
	}

	/** Whether the connection speaks a protocol the invocation was serialized for (else warns once). */
	private boolean deliverable(HubConnectionContext connection, RedisProtocol.Invocation invocation) {
		HubProtocol protocol = connection.protocol();
		if (protocol == null) {
			return false;
		}
		if (!invocation.serializations().containsKey(protocol.name())) {
			if (this.missingProtocols.add(protocol.name() + "@" + invocation.origin())) {
				logger.warn("Node " + invocation.origin() + " does not serialize messages for protocol "
						+ protocol.name() + ": its messages do not reach this node's " + protocol.name()
						+ " connections. Give every node the same hub protocols.");
			}
			return false;
		}
		return true;
	}

	private static Set<String> excluded(RedisProtocol.Invocation invocation) {
		return invocation.excluded().isEmpty() ? Set.of() : new HashSet<>(invocation.excluded());
	}

	/** A hub message from another node, or {@code null} for one of this node or an unreadable one. */
	private RedisProtocol.@Nullable Invocation readInvocation(byte[] payload) {
		if (RedisProtocol.readOrWarn(payload) instanceof RedisProtocol.Invocation invocation
				&& !invocation.origin().equals(this.nodeId)) {
			return invocation;
		}
		return null;
	}

}
