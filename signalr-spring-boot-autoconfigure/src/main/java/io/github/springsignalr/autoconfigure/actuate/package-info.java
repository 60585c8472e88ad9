/**
 * Spring Boot auto-configuration of the Actuator support: the {@code signalr} endpoint and its
 * {@code management.endpoint.signalr.*} settings, the health indicator of the Redis backplane and the
 * operator view ({@code signalr.ops-view.*}) that charts what the endpoint reports.
 */
@NullMarked
package io.github.springsignalr.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
