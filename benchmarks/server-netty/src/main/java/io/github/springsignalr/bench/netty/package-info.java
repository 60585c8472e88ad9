/** The raw Reactor Netty WebSocket server: the upper bound of the stack our SignalR server runs on. */
@NullMarked
package io.github.springsignalr.bench.netty;

import org.jspecify.annotations.NullMarked;
