package io.github.springsignalr.connection;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.Connections;

/**
 * A path served by the connection layer: its handler, its options and its live connections. Hubs are
 * endpoints whose handler speaks the hub protocol. Connections of another protocol (the classic
 * persistent connections of ASP.NET SignalR 2) can join the endpoint's connections and groups too.
 */
public final class ConnectionRoute implements Connections {

	private final String path;

	private final String name;

	private final ConnectionHandler handler;

	private final ConnectionOptions options;

	private final Map<String, HttpConnection> connections = new ConcurrentHashMap<>();

	private final Map<String, Set<Connection>> groups = new ConcurrentHashMap<>();

	/** Connections of another protocol, by id, with the groups they are in. */
	private final Map<String, Connection> others = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> othersGroups = new ConcurrentHashMap<>();

	private final @Nullable Object bean;

	public ConnectionRoute(String path, String name, ConnectionHandler handler, ConnectionOptions options) {
		this(path, name, handler, options, null);
	}

	/**
	 * @param bean the application bean behind the endpoint (the hub or the connection handler)
	 */
	public ConnectionRoute(String path, String name, ConnectionHandler handler, ConnectionOptions options,
			@Nullable Object bean) {
		this.path = path;
		this.name = name;
		this.handler = handler;
		this.options = options;
		this.bean = bean;
	}

	/** The application bean behind the endpoint: the hub or the connection handler. */
	public @Nullable Object bean() {
		return this.bean;
	}

	/** The path as configured, e.g. {@code /chat}. */
	public String path() {
		return this.path;
	}

	/** A name for logs. */
	public String name() {
		return this.name;
	}

	public ConnectionHandler handler() {
		return this.handler;
	}

	public ConnectionOptions options() {
		return this.options;
	}

	void connected(HttpConnection connection) {
		this.connections.put(connection.id(), connection);
	}

	void disconnected(HttpConnection connection) {
		this.connections.remove(connection.id(), connection);
		for (String group : connection.rawGroups()) {
			removeFromGroup(connection.id(), group);
		}
	}

	/** Adds a connection of another protocol, which this endpoint's handler serves. */
	public void addConnection(Connection connection) {
		this.others.put(connection.id(), connection);
	}

	/** Removes a connection added by {@link #addConnection}, and from its groups. */
	public void removeConnection(Connection connection) {
		if (this.others.remove(connection.id(), connection)) {
			Set<String> groups = this.othersGroups.remove(connection.id());
			if (groups != null) {
				for (String group : groups) {
					removeFromGroup(connection.id(), group);
				}
			}
		}
	}

	private @Nullable Connection find(String connectionId) {
		HttpConnection connection = this.connections.get(connectionId);
		return (connection != null) ? connection : this.others.get(connectionId);
	}

	private Set<String> groupsOf(Connection connection) {
		return (connection instanceof HttpConnection http) ? http.rawGroups()
				: this.othersGroups.computeIfAbsent(connection.id(), (key) -> ConcurrentHashMap.newKeySet());
	}

	@Override
	public boolean send(String connectionId, byte[] data) {
		Connection connection = find(connectionId);
		return connection != null && connection.send(data);
	}

	@Override
	public void broadcast(byte[] data, Collection<String> excludedConnectionIds) {
		for (HttpConnection connection : this.connections.values()) {
			if (excludedConnectionIds.isEmpty() || !excludedConnectionIds.contains(connection.id())) {
				connection.send(data);
			}
		}
		for (Connection connection : this.others.values()) {
			if (excludedConnectionIds.isEmpty() || !excludedConnectionIds.contains(connection.id())) {
				connection.send(data);
			}
		}
	}

	@Override
	public void addToGroup(String connectionId, String group) {
		Connection connection = find(connectionId);
		if (connection == null) {
			return;
		}
		this.groups.computeIfAbsent(group, (key) -> ConcurrentHashMap.newKeySet()).add(connection);
		groupsOf(connection).add(group);
		if (connection.isClosed()) {
			removeFromGroup(connectionId, group);
		}
	}

	@Override
	public void removeFromGroup(String connectionId, String group) {
		this.groups.computeIfPresent(group, (key, members) -> {
			members.removeIf((member) -> member.id().equals(connectionId));
			return members.isEmpty() ? null : members;
		});
		Connection connection = find(connectionId);
		if (connection != null) {
			groupsOf(connection).remove(group);
		}
	}

	@Override
	public void sendToGroup(String group, byte[] data, Collection<String> excludedConnectionIds) {
		Set<Connection> members = this.groups.get(group);
		if (members == null) {
			return;
		}
		for (Connection connection : members) {
			if (excludedConnectionIds.isEmpty() || !excludedConnectionIds.contains(connection.id())) {
				connection.send(data);
			}
		}
	}

	/** The live connections, for diagnostics. */
	public Collection<HttpConnection> connections() {
		return java.util.Collections.unmodifiableCollection(this.connections.values());
	}

	/** The live connections of another protocol (the classic ASP.NET SignalR 2 ones), for diagnostics. */
	public Collection<Connection> otherConnections() {
		return java.util.Collections.unmodifiableCollection(this.others.values());
	}

	/** Number of groups of the raw connection API with members. */
	public int groupCount() {
		return this.groups.size();
	}

	@Override
	public int count() {
		return this.connections.size() + this.others.size();
	}
}
