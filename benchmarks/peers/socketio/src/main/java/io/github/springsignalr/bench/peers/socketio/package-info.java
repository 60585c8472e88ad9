/** Benchmark peer: netty-socketio. */
@NullMarked
package io.github.springsignalr.bench.peers.socketio;

import org.jspecify.annotations.NullMarked;
