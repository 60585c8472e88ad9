/**
 * Thin adapters from Spring WebFlux to the connection layer: the handler mapping of every endpoint,
 * negotiate, and the WebSocket transport.
 */
@NullMarked
package io.github.springsignalr.webflux;

import org.jspecify.annotations.NullMarked;
