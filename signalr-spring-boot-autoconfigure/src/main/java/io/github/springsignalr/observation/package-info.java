/**
 * Micrometer for SignalR: {@link SignalRMeters} implements the
 * {@link io.github.springsignalr.metrics.SignalRMetrics} hook that the connection, hub and backplane layers
 * call, and {@link ObservationHubFilter} records the {@code signalr.server.invocation} observation around
 * hub methods. Micrometer stays in this package: the layers below report through the hook and know no
 * metrics library.
 */
@NullMarked
package io.github.springsignalr.observation;

import org.jspecify.annotations.NullMarked;
