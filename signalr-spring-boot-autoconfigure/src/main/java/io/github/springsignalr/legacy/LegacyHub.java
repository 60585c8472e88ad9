package io.github.springsignalr.legacy;

import io.github.springsignalr.hub.HubConnectionHandler;

/**
 * A hub as classic clients reach it.
 * @param name its canonical name ({@code @Hub(name)} or the class's simple name)
 * @param handler the hub's handler, shared with the ASP.NET Core endpoint
 * @param protocol the hub's classic encoding
 */
public record LegacyHub(String name, HubConnectionHandler handler, LegacyHubProtocol protocol) {
}
