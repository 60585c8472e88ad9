/**
 * Thin adapters from Spring WebFlux (Reactor Netty) to the connection layer: the handler mapping of
 * every hub path, negotiate, the WebSocket, Server-Sent Events and long-polling transports, and the
 * forwarding of transport requests to the node that owns their connection. They turn requests into calls
 * of the connection layer and hold no hub logic. The servlet stack gets a sibling, {@code webmvc}, at the
 * same level, and neither uses the other.
 */
@NullMarked
package io.github.springsignalr.webflux;

import org.jspecify.annotations.NullMarked;
