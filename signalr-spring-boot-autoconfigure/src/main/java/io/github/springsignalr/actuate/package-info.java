/**
 * Spring Boot Actuator support: the {@code signalr} endpoint, which describes the hubs of this node and
 * their connections, and the health indicator of the Redis backplane. It reads the layers below and
 * changes nothing in them.
 */
@NullMarked
package io.github.springsignalr.actuate;

import org.jspecify.annotations.NullMarked;
