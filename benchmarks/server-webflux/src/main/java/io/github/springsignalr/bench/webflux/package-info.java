/** The raw Spring WebFlux WebSocket server: what a team would write without a messaging library. */
@NullMarked
package io.github.springsignalr.bench.webflux;

import org.jspecify.annotations.NullMarked;
