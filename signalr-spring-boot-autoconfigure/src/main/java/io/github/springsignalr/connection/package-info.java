/**
 * The HTTP connection layer, unaware of hubs and of the web stack: negotiate, connection ids and
 * tokens, the connection manager, and one {@link io.github.springsignalr.Connection} abstraction over every
 * transport with a bounded outbound queue. What a transport can do beyond sending and receiving (heartbeat,
 * shutdown notice, stateful reconnect, inherent keep-alive, handler state) it offers as optional
 * {@link ConnectionFeatures} that a handler asks for, so nothing above this layer looks at a concrete
 * connection class. The web-stack adapters drive it; the hub runtime and raw
 * {@link io.github.springsignalr.ConnectionHandler}s run on it.
 */
@NullMarked
package io.github.springsignalr.connection;

import org.jspecify.annotations.NullMarked;
