/** Benchmark peer: Spring's STOMP simple broker. */
@NullMarked
package io.github.springsignalr.bench.peers.stomp;

import org.jspecify.annotations.NullMarked;
