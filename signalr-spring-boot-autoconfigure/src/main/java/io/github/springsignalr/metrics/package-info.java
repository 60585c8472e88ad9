/**
 * The metrics hook, {@link SignalRMetrics}: what the connection layer, the hub runtime and the
 * backplane report as they work (connections started and ended, messages, backplane traffic). It sits
 * below all of its callers and knows no metrics library: {@code observation} implements it with
 * Micrometer, and without that {@link SignalRMetrics#NOOP} records nothing.
 */
@NullMarked
package io.github.springsignalr.metrics;

import org.jspecify.annotations.NullMarked;
