/**
 * Observability of SignalR: the {@link io.github.springsignalr.metrics.SignalRMetrics} hooks the
 * connection, hub and backplane layers call (no-ops unless a Micrometer registry is present), the
 * Micrometer meters behind them, and the {@code signalr.server.invocation} observation of hub methods.
 */
@NullMarked
package io.github.springsignalr.observation;

import org.jspecify.annotations.NullMarked;
