package io.github.springsignalr.legacy;

import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.hub.HubConnectionHandler;

/**
 * A hub as classic clients reach it.
 * @param name its canonical name ({@code @Hub(name)} or the class's simple name)
 * @param handler the hub's handler, shared with the ASP.NET Core endpoint
 * @param protocol the hub's classic encoding
 * @param route the hub's endpoint, whose raw {@link io.github.springsignalr.Connections} its classic
 * connections join (as its ASP.NET Core connections are in it) while they are connected
 */
public record LegacyHub(String name, HubConnectionHandler handler, LegacyHubProtocol protocol, ConnectionRoute route) {

	/** A hub with an endpoint of its own (not mapped for ASP.NET Core clients). */
	public LegacyHub(String name, HubConnectionHandler handler, LegacyHubProtocol protocol) {
		this(name, handler, protocol, new ConnectionRoute("/" + name, name, handler, ConnectionOptions.defaults()));
	}
}
