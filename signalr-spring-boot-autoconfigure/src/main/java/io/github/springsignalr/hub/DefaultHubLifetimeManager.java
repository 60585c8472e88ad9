package io.github.springsignalr.hub;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.HubException;
import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.SerializedHubMessage;
import reactor.core.publisher.Mono;

/**
 * The in-memory {@link HubLifetimeManager}: the connections, groups and users of one node. A message
 * for many connections is serialized once per protocol.
 */
public class DefaultHubLifetimeManager implements HubLifetimeManager {

	private final Map<String, HubConnectionContext> connections = new ConcurrentHashMap<>();

	private final Map<String, Set<HubConnectionContext>> groups = new ConcurrentHashMap<>();

	private final Map<String, Set<HubConnectionContext>> users = new ConcurrentHashMap<>();

	@Override
	public void onConnected(HubConnectionContext connection) {
		this.connections.put(connection.connectionId(), connection);
		String user = connection.userIdentifier();
		if (user != null) {
			this.users.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet()).add(connection);
		}
	}

	@Override
	public void onDisconnected(HubConnectionContext connection) {
		this.connections.remove(connection.connectionId(), connection);
		for (String group : connection.groupNames()) {
			leave(this.groups, group, connection);
		}
		connection.groupNames().clear();
		String user = connection.userIdentifier();
		if (user != null) {
			leave(this.users, user, connection);
		}
	}

	private static void leave(Map<String, Set<HubConnectionContext>> index, String key,
			HubConnectionContext connection) {
		index.computeIfPresent(key, (name, members) -> {
			members.remove(connection);
			return members.isEmpty() ? null : members;
		});
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
		return this.groups.size();
	}

	protected static SerializedHubMessage invocation(String method, @Nullable Object[] arguments) {
		return new SerializedHubMessage(new HubMessage.Invocation(null, method, Arrays.asList(arguments)));
	}

	@Override
	public Mono<Void> sendAll(String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> {
			for (HubConnectionContext connection : this.connections.values()) {
				connection.write(message);
			}
		});
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendAllExcept(String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> {
			for (HubConnectionContext connection : this.connections.values()) {
				if (!excludedConnectionIds.contains(connection.connectionId())) {
					connection.write(message);
				}
			}
		});
		return Mono.empty();
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
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> {
			for (String id : new HashSet<>(connectionIds)) {
				HubConnectionContext connection = this.connections.get(id);
				if (connection != null) {
					connection.write(message);
				}
			}
		});
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendGroup(String groupName, String method, @Nullable Object[] arguments) {
		Set<HubConnectionContext> members = this.groups.get(groupName);
		if (members != null) {
			SerializedHubMessage message = invocation(method, arguments);
			SendBatch.run(() -> {
				for (HubConnectionContext connection : members) {
					connection.write(message);
				}
			});
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendGroups(Collection<String> groupNames, String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> sendToEach(this.groups, groupNames, message));
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendGroupExcept(String groupName, String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		Set<HubConnectionContext> members = this.groups.get(groupName);
		if (members != null) {
			SerializedHubMessage message = invocation(method, arguments);
			SendBatch.run(() -> {
				for (HubConnectionContext connection : members) {
					if (!excludedConnectionIds.contains(connection.connectionId())) {
						connection.write(message);
					}
				}
			});
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendUser(String userId, String method, @Nullable Object[] arguments) {
		Set<HubConnectionContext> members = this.users.get(userId);
		if (members != null) {
			SerializedHubMessage message = invocation(method, arguments);
			SendBatch.run(() -> {
				for (HubConnectionContext connection : members) {
					connection.write(message);
				}
			});
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> sendUsers(Collection<String> userIds, String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> sendToEach(this.users, userIds, message));
		return Mono.empty();
	}

	private static void sendToEach(Map<String, Set<HubConnectionContext>> index, Collection<String> keys,
			SerializedHubMessage message) {
		Set<HubConnectionContext> sent = new HashSet<>();
		for (String key : keys) {
			Set<HubConnectionContext> members = index.get(key);
			if (members != null) {
				for (HubConnectionContext connection : members) {
					if (sent.add(connection)) {
						connection.write(message);
					}
				}
			}
		}
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
			this.groups.computeIfAbsent(groupName, (key) -> ConcurrentHashMap.newKeySet()).add(connection);
			connection.groupNames().add(groupName);
			if (!this.connections.containsKey(connectionId)) {
				// disconnected meanwhile: undo, so no group keeps a dead connection
				leave(this.groups, groupName, connection);
			}
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeFromGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			leave(this.groups, groupName, connection);
			connection.groupNames().remove(groupName);
		}
		return Mono.empty();
	}
}
