/**
 * Spring Boot auto-configuration of SignalR's observability: the Micrometer meters behind the metrics
 * hook and the {@code signalr.server.invocation} observation of hub methods. Active only with Micrometer
 * on the classpath and a registry in the application.
 */
@NullMarked
package io.github.springsignalr.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
