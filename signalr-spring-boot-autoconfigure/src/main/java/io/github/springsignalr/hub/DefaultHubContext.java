package io.github.springsignalr.hub;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.HubContext;

/**
 * The {@link HubContext} of one hub. The hub's lifetime manager is looked up on first use, so a hub
 * may inject its own context.
 * @param <H> the hub class
 */
public final class DefaultHubContext<H> implements HubContext<H> {

	private final Supplier<HubLifetimeManager> manager;

	private volatile @Nullable LifetimeHubClients clients;

	public DefaultHubContext(Supplier<HubLifetimeManager> manager) {
		this.manager = manager;
	}

	private LifetimeHubClients resolve() {
		LifetimeHubClients clients = this.clients;
		if (clients == null) {
			clients = new LifetimeHubClients(this.manager.get(), "");
			this.clients = clients;
		}
		return clients;
	}

	@Override
	public HubClients clients() {
		return resolve();
	}

	@Override
	public GroupManager groups() {
		return resolve();
	}
}
