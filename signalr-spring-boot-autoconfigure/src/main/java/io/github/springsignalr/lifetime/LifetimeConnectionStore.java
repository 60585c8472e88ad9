package io.github.springsignalr.lifetime;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.HubConnectionStore;
import reactor.core.publisher.Mono;

/** Connects the hub runtime of one hub to its {@link HubLifetimeManager}. */
public final class LifetimeConnectionStore implements HubConnectionStore {

	private final HubLifetimeManager manager;

	private final LifetimeHubClients groups;

	public LifetimeConnectionStore(HubLifetimeManager manager) {
		this.manager = manager;
		this.groups = new LifetimeHubClients(manager, "");
	}

	@Override
	public void onConnected(HubConnectionContext connection) {
		this.manager.onConnected(connection);
	}

	@Override
	public Mono<Void> whenReachable(HubConnectionContext connection) {
		return this.manager.whenReachable(connection);
	}

	@Override
	public void onDisconnected(HubConnectionContext connection) {
		this.manager.onDisconnected(connection);
	}

	@Override
	public HubCallerClients callerClients(HubConnectionContext connection) {
		return new LifetimeHubClients(this.manager, connection.connectionId());
	}

	@Override
	public GroupManager groups() {
		return this.groups;
	}
}
