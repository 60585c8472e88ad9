/**
 * The classic ASP.NET SignalR 2 protocol, so that the jQuery client 2.x, signalr4j and the other legacy
 * clients reach the same {@link io.github.springsignalr.Hub @Hub} beans as the ASP.NET Core clients: its
 * endpoint, transports, cursors and reconnect buffer, hub encoding, and the generated proxy script
 * ({@link io.github.springsignalr.legacy.HubProxyScript}). It drives the hub dispatcher and the lifetime
 * managers of the hub layer, so modern and classic connections share hubs, groups and users.
 */
@NullMarked
package io.github.springsignalr.legacy;

import org.jspecify.annotations.NullMarked;
