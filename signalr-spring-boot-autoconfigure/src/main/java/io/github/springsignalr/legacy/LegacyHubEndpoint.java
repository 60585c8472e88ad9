package io.github.springsignalr.legacy;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connections;

/**
 * The classic connections of one hub, as {@link Connections}: what a hub's classic connection answers
 * to {@code connections()}. As for a hub's ASP.NET Core connections, the data is sent as it is, a
 * message of the hub's protocol (here the classic one, such as {@code {"H":..,"M":..,"A":[..]}}), into
 * each connection's ordered buffer. Its groups are its own, as an endpoint's raw groups are, not the hub's.
 */
final class LegacyHubEndpoint implements Connections {

	private final LegacyConnections owner;

	private final String hub;

	private final Map<String, Set<String>> groups = new ConcurrentHashMap<>();

	LegacyHubEndpoint(LegacyConnections owner, String hub) {
		this.owner = owner;
		this.hub = hub.toLowerCase(Locale.ROOT);
	}

	private @Nullable LegacyHubConnection view(String connectionId) {
		LegacyConnection connection = this.owner.connection(connectionId);
		LegacyHubConnection view = (connection != null) ? connection.hubView(this.hub) : null;
		return (view != null && view.isStarted() && !view.isClosed()) ? view : null;
	}

	@Override
	public boolean send(String connectionId, byte[] data) {
		LegacyHubConnection view = view(connectionId);
		return view != null && view.send(data);
	}

	@Override
	public void broadcast(byte[] data, Collection<String> excludedConnectionIds) {
		for (LegacyConnection connection : this.owner.connections()) {
			if (!excludedConnectionIds.contains(connection.id())) {
				send(connection.id(), data);
			}
		}
	}

	@Override
	public void addToGroup(String connectionId, String group) {
		this.groups.computeIfAbsent(group, (name) -> ConcurrentHashMap.newKeySet()).add(connectionId);
	}

	@Override
	public void removeFromGroup(String connectionId, String group) {
		this.groups.computeIfPresent(group, (name, members) -> {
			members.remove(connectionId);
			return members.isEmpty() ? null : members;
		});
	}

	@Override
	public void sendToGroup(String group, byte[] data, Collection<String> excludedConnectionIds) {
		Set<String> members = this.groups.get(group);
		if (members != null) {
			for (String id : members) {
				if (!excludedConnectionIds.contains(id)) {
					send(id, data);
				}
			}
		}
	}

	@Override
	public int count() {
		int count = 0;
		for (LegacyConnection connection : this.owner.connections()) {
			if (view(connection.id()) != null) {
				count++;
			}
		}
		return count;
	}

	/** A connection ended: it leaves the groups. */
	void removed(String connectionId) {
		for (String group : this.groups.keySet()) {
			removeFromGroup(connectionId, group);
		}
	}
}
