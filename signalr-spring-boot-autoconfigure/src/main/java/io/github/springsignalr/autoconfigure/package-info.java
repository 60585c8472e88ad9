/**
 * Spring Boot auto-configuration of SignalR, the top layer: the core wiring of hubs on Spring WebFlux
 * and the {@code signalr.*} properties with the reference's defaults. It only wires: the hubs are
 * assembled by the library's {@link io.github.springsignalr.hub.HubRuntime} builder. The Redis
 * backplane, the observability and the Actuator support have their own auto-configurations in the
 * {@code redis}, {@code observation} and {@code actuate} subpackages, each guarded by
 * {@code @ConditionalOnClass}. Nothing in the library depends on this package.
 */
@NullMarked
package io.github.springsignalr.autoconfigure;

import org.jspecify.annotations.NullMarked;
