/**
 * The classic ASP.NET SignalR 2 hub protocol on the same hubs as the ASP.NET Core one, web-agnostic:
 * its encoding as a {@link io.github.springsignalr.protocol.HubProtocol} per hub
 * ({@link io.github.springsignalr.legacy.LegacyHubProtocol}), signed connection tokens, the negotiate
 * payload, {@code connectionData}, and the {@link io.github.springsignalr.legacy.LegacyConnection}: one
 * client connection with its ordered outbound buffer and cursors, its transport slot and timers, and a
 * {@link io.github.springsignalr.Connection} view per hub it listed, opened on that hub's
 * {@link io.github.springsignalr.hub.HubConnectionHandler} so that lifetime managers, groups, users and
 * {@code HubContext} reach it as any other connection. The HTTP side lives in {@code webflux} and {@code webmvc}.
 * It sits above {@code hub} and below {@code cluster}.
 */
@NullMarked
package io.github.springsignalr.legacy;

import org.jspecify.annotations.NullMarked;
