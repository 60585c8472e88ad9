/** Benchmark peer: netty-socketio. */
package io.github.springsignalr.bench.peers.socketio;
