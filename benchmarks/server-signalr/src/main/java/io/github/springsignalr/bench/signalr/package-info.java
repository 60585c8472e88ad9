/** Our SignalR server with the benchmark hub. */
@NullMarked
package io.github.springsignalr.bench.signalr;

import org.jspecify.annotations.NullMarked;
