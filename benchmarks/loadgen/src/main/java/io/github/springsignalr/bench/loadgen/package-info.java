/** The benchmark's load generator, orchestrator and report writer. */
@NullMarked
package io.github.springsignalr.bench.loadgen;

import org.jspecify.annotations.NullMarked;
