/**
 * The SignalR hub protocol as data, the lowest layer: the sealed {@link HubMessage} hierarchy, the
 * handshake, the {@link HubProtocol} SPI with its JSON and MessagePack implementations, and their framing.
 * It knows no Spring, no network stack and nothing above it, not even the public API. Its input comes
 * straight from clients, so every recursion and size is bounded.
 */
@NullMarked
package io.github.springsignalr.protocol;

import org.jspecify.annotations.NullMarked;
