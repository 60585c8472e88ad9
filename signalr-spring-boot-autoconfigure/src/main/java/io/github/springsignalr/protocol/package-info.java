/**
 * The SignalR hub protocol as data: messages, the handshake and the JSON protocol with its framing.
 * Nothing here knows about Spring or a network stack.
 */
@NullMarked
package io.github.springsignalr.protocol;

import org.jspecify.annotations.NullMarked;
