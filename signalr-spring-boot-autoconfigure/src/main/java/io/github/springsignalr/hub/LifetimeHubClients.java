package io.github.springsignalr.hub;

import java.util.Collection;
import java.util.List;

import io.github.springsignalr.ClientProxy;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.SingleClientProxy;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * {@link HubClients} and {@link GroupManager} over a {@link HubLifetimeManager}; with a caller's id,
 * also {@link HubCallerClients}.
 */
public class LifetimeHubClients implements HubCallerClients, GroupManager {

	private final HubLifetimeManager manager;

	private final String callerId;

	/** Clients as seen from the given caller; an empty id means no caller (a {@code HubContext}). */
	public LifetimeHubClients(HubLifetimeManager manager, String callerId) {
		this.manager = manager;
		this.callerId = callerId;
	}

	/** The same clients as seen from the caller {@code connectionId}. */
	LifetimeHubClients forCaller(String connectionId) {
		return new LifetimeHubClients(this.manager, connectionId);
	}

	@Override
	public ClientProxy all() {
		return this.manager::sendAll;
	}

	@Override
	public ClientProxy allExcept(Collection<String> excludedConnectionIds) {
		List<String> excluded = List.copyOf(excludedConnectionIds);
		return (method, arguments) -> this.manager.sendAllExcept(method, arguments, excluded);
	}

	@Override
	public SingleClientProxy client(String connectionId) {
		HubLifetimeManager manager = this.manager;
		return new SingleClientProxy() {

			@Override
			public Mono<Void> send(String method, @Nullable Object... arguments) {
				return manager.sendConnection(connectionId, method, arguments);
			}

			@Override
			public <T> Mono<T> invoke(String method, Class<T> resultType, @Nullable Object... arguments) {
				return manager.invokeConnection(connectionId, method, arguments, resultType);
			}
		};
	}

	@Override
	public ClientProxy clients(Collection<String> connectionIds) {
		List<String> ids = List.copyOf(connectionIds);
		return (method, arguments) -> this.manager.sendConnections(ids, method, arguments);
	}

	@Override
	public ClientProxy group(String groupName) {
		return (method, arguments) -> this.manager.sendGroup(groupName, method, arguments);
	}

	@Override
	public ClientProxy groups(Collection<String> groupNames) {
		List<String> names = List.copyOf(groupNames);
		return (method, arguments) -> this.manager.sendGroups(names, method, arguments);
	}

	@Override
	public ClientProxy groupExcept(String groupName, Collection<String> excludedConnectionIds) {
		List<String> excluded = List.copyOf(excludedConnectionIds);
		return (method, arguments) -> this.manager.sendGroupExcept(groupName, method, arguments, excluded);
	}

	@Override
	public ClientProxy user(String userId) {
		return (method, arguments) -> this.manager.sendUser(userId, method, arguments);
	}

	@Override
	public ClientProxy users(Collection<String> userIds) {
		List<String> ids = List.copyOf(userIds);
		return (method, arguments) -> this.manager.sendUsers(ids, method, arguments);
	}

	@Override
	public SingleClientProxy caller() {
		return client(requireCaller());
	}

	@Override
	public ClientProxy others() {
		return allExcept(List.of(requireCaller()));
	}

	@Override
	public ClientProxy othersInGroup(String groupName) {
		return groupExcept(groupName, List.of(requireCaller()));
	}

	private String requireCaller() {
		if (this.callerId.isEmpty()) {
			throw new IllegalStateException("There is no caller outside a hub method invocation");
		}
		return this.callerId;
	}

	@Override
	public Mono<Void> addToGroup(String connectionId, String groupName) {
		return this.manager.addToGroup(connectionId, groupName);
	}

	@Override
	public Mono<Void> removeFromGroup(String connectionId, String groupName) {
		return this.manager.removeFromGroup(connectionId, groupName);
	}
}
