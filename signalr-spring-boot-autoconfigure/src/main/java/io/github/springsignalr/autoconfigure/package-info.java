/**
 * Spring Boot auto-configuration of SignalR, the top layer: {@code @AutoConfiguration} classes per
 * concern (hubs on the web stack, the Redis backplane, metrics and observations, the Actuator endpoint),
 * each guarded by {@code @ConditionalOnClass}, and the {@code signalr.*} properties with the reference's
 * defaults. It is pure wiring, turning properties and beans into calls of the library's builders, and
 * nothing else depends on it.
 */
@NullMarked
package io.github.springsignalr.autoconfigure;

import org.jspecify.annotations.NullMarked;
