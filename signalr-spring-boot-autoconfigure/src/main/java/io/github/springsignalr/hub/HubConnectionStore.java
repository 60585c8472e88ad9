package io.github.springsignalr.hub;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * The connections of one hub on this node, as ASP.NET Core's {@code HubConnectionStore}: by id, by group
 * and by user, thread-safe. Lifetime managers keep their local recipients here and reach them through
 * one path, {@link #send}: a message serialized once per protocol, the same bytes written to each
 * matching connection.
 *
 * <p>The group and user changes report whether a key got its first member or lost its last, so a
 * backplane can subscribe and unsubscribe its channel; it serializes those changes itself when their
 * order matters.
 */
public final class HubConnectionStore {

	private final Map<String, HubConnectionContext> connections = new ConcurrentHashMap<>();

	private final Map<String, Set<HubConnectionContext>> groups = new ConcurrentHashMap<>();

	private final Map<String, Set<HubConnectionContext>> users = new ConcurrentHashMap<>();

	/** Adds a connection under its id (not to its user: see {@link #addToUser}). */
	public void add(HubConnectionContext connection) {
		this.connections.put(connection.connectionId(), connection);
	}

	/**
	 * Removes a connection from the ids (not from its groups or user).
	 * @return whether the store had this very connection under its id
	 */
	public boolean remove(HubConnectionContext connection) {
		return this.connections.remove(connection.connectionId(), connection);
	}

	/** The connection with this id, if any. */
	public @Nullable HubConnectionContext get(String connectionId) {
		return this.connections.get(connectionId);
	}

	/** Whether the store has this very connection under its id. */
	public boolean contains(HubConnectionContext connection) {
		return this.connections.get(connection.connectionId()) == connection;
	}

	/** The connections, a live view. */
	public Collection<HubConnectionContext> connections() {
		return this.connections.values();
	}

	/** Number of connections. */
	public int size() {
		return this.connections.size();
	}

	/** Number of groups with members. */
	public int groupCount() {
		return this.groups.size();
	}

	/** Number of users with connections. */
	public int userCount() {
		return this.users.size();
	}

	/**
	 * Adds a connection to a group's members (not to its {@link HubConnectionContext#groupNames()}).
	 * @return whether it is the group's first member
	 */
	public boolean addToGroup(String groupName, HubConnectionContext connection) {
		return join(this.groups, groupName, connection);
	}

	/**
	 * Removes a connection from a group's members (not from its {@link HubConnectionContext#groupNames()}).
	 * @return whether it was the group's last member
	 */
	public boolean removeFromGroup(String groupName, HubConnectionContext connection) {
		return leave(this.groups, groupName, connection);
	}

	/**
	 * Adds a connection to its user's connections.
	 * @return whether it is the user's first connection
	 */
	public boolean addToUser(String userId, HubConnectionContext connection) {
		return join(this.users, userId, connection);
	}

	/**
	 * Removes a connection from its user's connections.
	 * @return whether it was the user's last connection
	 */
	public boolean removeFromUser(String userId, HubConnectionContext connection) {
		return leave(this.users, userId, connection);
	}

	private static boolean join(Map<String, Set<HubConnectionContext>> index, String key,
			HubConnectionContext connection) {
		// under the key's lock: a set dropped by its last member leaving never gets the new one
		boolean[] first = new boolean[1];
		index.compute(key, (name, current) -> {
			Set<HubConnectionContext> set = current;
			if (set == null) {
				set = ConcurrentHashMap.newKeySet();
				first[0] = true;
			}
			set.add(connection);
			return set;
		});
		return first[0];
	}

	private static boolean leave(Map<String, Set<HubConnectionContext>> index, String key,
			HubConnectionContext connection) {
		boolean[] last = new boolean[1];
		index.computeIfPresent(key, (name, members) -> {
			if (members.remove(connection) && members.isEmpty()) {
				last[0] = true;
				return null;
			}
			return members.isEmpty() ? null : members;
		});
		return last[0];
	}

	/** The members of a group, a live view (empty when it has none). */
	public Set<HubConnectionContext> group(String groupName) {
		Set<HubConnectionContext> members = this.groups.get(groupName);
		return (members != null) ? members : Set.of();
	}

	/** The connections of a user, a live view (empty when it has none). */
	public Set<HubConnectionContext> user(String userId) {
		Set<HubConnectionContext> members = this.users.get(userId);
		return (members != null) ? members : Set.of();
	}

	/** Writes a message to each connection matching {@code recipients}, once each. */
	public void send(Recipients recipients, SerializedHubMessage message) {
		send(recipients, message, null);
	}

	/**
	 * Writes a message to each connection matching {@code recipients} and {@code filter}, once each. Runs
	 * on the calling thread; a caller wraps it in {@link io.github.springsignalr.connection.SendBatch#run}
	 * to hand the writes to each event loop once.
	 */
	public void send(Recipients recipients, SerializedHubMessage message,
			@Nullable Predicate<HubConnectionContext> filter) {
		Collection<String> keys = recipients.keys;
		Collection<String> excluded = recipients.excluded;
		switch (recipients.kind) {
			case ALL -> write(this.connections.values(), excluded, message, filter);
			case CONNECTIONS -> {
				for (String id : keys) {
					HubConnectionContext connection = this.connections.get(id);
					if (connection != null && (filter == null || filter.test(connection))) {
						connection.write(message);
					}
				}
			}
			case GROUPS -> {
				if (keys.size() == 1) {
					write(group(keys.iterator().next()), excluded, message, filter);
				}
				else {
					// a member of several groups gets the message once
					Set<HubConnectionContext> sent = new HashSet<>();
					for (String key : keys) {
						for (HubConnectionContext connection : group(key)) {
							if (!excluded.contains(connection.connectionId())
									&& (filter == null || filter.test(connection)) && sent.add(connection)) {
								connection.write(message);
							}
						}
					}
				}
			}
			case USERS -> {
				// a connection has one user: once per user is once per connection
				for (String key : keys) {
					write(user(key), excluded, message, filter);
				}
			}
		}
	}

	private static void write(Collection<HubConnectionContext> members, Collection<String> excluded,
			SerializedHubMessage message, @Nullable Predicate<HubConnectionContext> filter) {
		if (excluded.isEmpty() && filter == null) {
			// the broadcast path: the same bytes to each, nothing to look at
			for (HubConnectionContext connection : members) {
				connection.write(message);
			}
			return;
		}
		for (HubConnectionContext connection : members) {
			if (!excluded.contains(connection.connectionId()) && (filter == null || filter.test(connection))) {
				connection.write(message);
			}
		}
	}

	/**
	 * Which connections of a {@link HubConnectionStore} a message is for: all, some by id, the members of
	 * groups or the connections of users, less excluded connection ids.
	 */
	public static final class Recipients {

		private static final Recipients ALL = new Recipients(Kind.ALL, List.of(), List.of());

		private final Kind kind;

		private final Collection<String> keys;

		private final Collection<String> excluded;

		private Recipients(Kind kind, Collection<String> keys, Collection<String> excluded) {
			this.kind = kind;
			this.keys = keys;
			this.excluded = excluded;
		}

		/** Every connection. */
		public static Recipients all() {
			return ALL;
		}

		/** Every connection but those with the given ids. */
		public static Recipients allExcept(Collection<String> excludedConnectionIds) {
			return new Recipients(Kind.ALL, List.of(), excludedConnectionIds);
		}

		/** The connection with this id. */
		public static Recipients connection(String connectionId) {
			return new Recipients(Kind.CONNECTIONS, List.of(connectionId), List.of());
		}

		/** The connections with these ids (each once). */
		public static Recipients connections(Collection<String> connectionIds) {
			return new Recipients(Kind.CONNECTIONS, new LinkedHashSet<>(connectionIds), List.of());
		}

		/** The members of a group. */
		public static Recipients group(String groupName) {
			return new Recipients(Kind.GROUPS, List.of(groupName), List.of());
		}

		/** The members of a group but those with the given ids. */
		public static Recipients groupExcept(String groupName, Collection<String> excludedConnectionIds) {
			return new Recipients(Kind.GROUPS, List.of(groupName), excludedConnectionIds);
		}

		/** The members of any of the groups, each once. */
		public static Recipients groups(Collection<String> groupNames) {
			return new Recipients(Kind.GROUPS, new LinkedHashSet<>(groupNames), List.of());
		}

		/** The connections of a user. */
		public static Recipients user(String userId) {
			return new Recipients(Kind.USERS, List.of(userId), List.of());
		}

		/** The connections of any of the users. */
		public static Recipients users(Collection<String> userIds) {
			return new Recipients(Kind.USERS, new LinkedHashSet<>(userIds), List.of());
		}

		/** These recipients but those with the given ids. */
		public Recipients except(Collection<String> excludedConnectionIds) {
			return new Recipients(this.kind, this.keys, excludedConnectionIds);
		}

		private enum Kind {

			ALL, CONNECTIONS, GROUPS, USERS

		}

	}

}
