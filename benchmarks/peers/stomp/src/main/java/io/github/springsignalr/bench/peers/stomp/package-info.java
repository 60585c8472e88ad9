/** Benchmark peer: Spring's STOMP simple broker. */
package io.github.springsignalr.bench.peers.stomp;
