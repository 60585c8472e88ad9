package io.github.springsignalr.hub;

import java.util.Arrays;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.HubException;
import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.hub.HubConnectionStore.Recipients;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.SerializedHubMessage;
import reactor.core.publisher.Mono;

/**
 * The in-memory {@link HubLifetimeManager}: the connections, groups and users of one node, in a
 * {@link HubConnectionStore}. A message for many connections is serialized once per protocol.
 */
public class DefaultHubLifetimeManager implements HubLifetimeManager {

	private final HubConnectionStore connections = new HubConnectionStore();

	@Override
	public void onConnected(HubConnectionContext connection) {
		this.connections.add(connection);
		String user = connection.userIdentifier();
		if (user != null) {
			this.connections.addToUser(user, connection);
		}
	}

	@Override
	public void onDisconnected(HubConnectionContext connection) {
		this.connections.remove(connection);
		for (String group : connection.groupNames()) {
			this.connections.removeFromGroup(group, connection);
		}
		connection.groupNames().clear();
		String user = connection.userIdentifier();
		if (user != null) {
			this.connections.removeFromUser(user, connection);
		}
	}

	/** The local connection with this id, if any. */
	public @Nullable HubConnectionContext connection(String connectionId) {
		return this.connections.get(connectionId);
	}

	/** Number of local connections. */
	public int connectionCount() {
		return this.connections.size();
	}

	/** Number of groups with local members. */
	public int groupCount() {
		return this.connections.groupCount();
	}

	protected static SerializedHubMessage invocation(String method, @Nullable Object[] arguments) {
		return new SerializedHubMessage(new HubMessage.Invocation(null, method, Arrays.asList(arguments)));
	}

	/** Writes the invocation to the local recipients, handing the writes to each event loop once. */
	private Mono<Void> send(Recipients recipients, String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> this.connections.send(recipients, message));
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendAll(String method, @Nullable Object[] arguments) {
		return send(Recipients.all(), method, arguments);
	}

	@Override
	public Mono<Void> sendAllExcept(String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		return send(Recipients.allExcept(excludedConnectionIds), method, arguments);
	}

	@Override
	public Mono<Void> sendConnection(String connectionId, String method, @Nullable Object[] arguments) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			connection.write(invocation(method, arguments));
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendConnections(Collection<String> connectionIds, String method, @Nullable Object[] arguments) {
		return send(Recipients.connections(connectionIds), method, arguments);
	}

	@Override
	public Mono<Void> sendGroup(String groupName, String method, @Nullable Object[] arguments) {
		if (!this.connections.group(groupName).isEmpty()) {
			send(Recipients.group(groupName), method, arguments);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendGroups(Collection<String> groupNames, String method, @Nullable Object[] arguments) {
		return send(Recipients.groups(groupNames), method, arguments);
	}

	@Override
	public Mono<Void> sendGroupExcept(String groupName, String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		if (!this.connections.group(groupName).isEmpty()) {
			send(Recipients.groupExcept(groupName, excludedConnectionIds), method, arguments);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendUser(String userId, String method, @Nullable Object[] arguments) {
		if (!this.connections.user(userId).isEmpty()) {
			send(Recipients.user(userId), method, arguments);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendUsers(Collection<String> userIds, String method, @Nullable Object[] arguments) {
		return send(Recipients.users(userIds), method, arguments);
	}

	@Override
	public <T> Mono<T> invokeConnection(String connectionId, String method, @Nullable Object[] arguments,
			Class<T> resultType) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection == null) {
			return Mono.error(new HubException("Connection '" + connectionId + "' does not exist."));
		}
		return connection.invokeClient(method, arguments, resultType);
	}

	@Override
	public Mono<Void> addToGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			this.connections.addToGroup(groupName, connection);
			connection.groupNames().add(groupName);
			if (this.connections.get(connectionId) == null) {
				// disconnected meanwhile: undo, so no group keeps a dead connection
				this.connections.removeFromGroup(groupName, connection);
			}
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeFromGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			this.connections.removeFromGroup(groupName, connection);
			connection.groupNames().remove(groupName);
		}
		return Mono.empty();
	}
}
