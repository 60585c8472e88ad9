/**
 * Spring Boot Actuator support: the {@code signalr} endpoint, which describes the hubs and their
 * connections, and the health indicator of the Redis backplane.
 */
@NullMarked
package io.github.springsignalr.actuate;

import org.jspecify.annotations.NullMarked;
