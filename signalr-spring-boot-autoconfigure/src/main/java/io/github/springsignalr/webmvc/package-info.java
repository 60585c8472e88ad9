/**
 * Thin adapters from Spring MVC (a servlet container: Tomcat, Jetty) to the connection layer: the handler
 * mapping of every hub path, negotiate, the WebSocket transport on the container's Jakarta WebSocket
 * implementation, and the Server-Sent Events and long-polling transports on asynchronous servlet
 * requests. They turn requests into calls of the connection layer and hold no hub logic; the paths,
 * status codes, texts and timeouts are those of the sibling {@code webflux}, and neither uses the other.
 */
@NullMarked
package io.github.springsignalr.webmvc;

import org.jspecify.annotations.NullMarked;
