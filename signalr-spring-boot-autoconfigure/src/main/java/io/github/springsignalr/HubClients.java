package io.github.springsignalr;

import java.util.Arrays;
import java.util.Collection;

/** Selects the clients of a hub to send to, as ASP.NET Core's {@code IHubClients} does. */
public interface HubClients {

	/** Every connection of the hub. */
	ClientProxy all();

	/** Every connection except the given ones. */
	ClientProxy allExcept(Collection<String> excludedConnectionIds);

	/** Every connection except the given ones. */
	default ClientProxy allExcept(String... excludedConnectionIds) {
		return allExcept(Arrays.asList(excludedConnectionIds));
	}

	/** One connection by id. */
	SingleClientProxy client(String connectionId);

	/** Several connections by id. */
	ClientProxy clients(Collection<String> connectionIds);

	/** Several connections by id. */
	default ClientProxy clients(String... connectionIds) {
		return clients(Arrays.asList(connectionIds));
	}

	/** Every connection of a group. */
	ClientProxy group(String groupName);

	/** Every connection of several groups (each connection once). */
	ClientProxy groups(Collection<String> groupNames);

	/** Every connection of several groups (each connection once). */
	default ClientProxy groups(String... groupNames) {
		return groups(Arrays.asList(groupNames));
	}

	/** Every connection of a group except the given ones. */
	ClientProxy groupExcept(String groupName, Collection<String> excludedConnectionIds);

	/** Every connection of a group except the given ones. */
	default ClientProxy groupExcept(String groupName, String... excludedConnectionIds) {
		return groupExcept(groupName, Arrays.asList(excludedConnectionIds));
	}

	/** Every connection of a user, by user identifier. */
	ClientProxy user(String userId);

	/** Every connection of several users. */
	ClientProxy users(Collection<String> userIds);

	/** Every connection of several users. */
	default ClientProxy users(String... userIds) {
		return users(Arrays.asList(userIds));
	}
}
