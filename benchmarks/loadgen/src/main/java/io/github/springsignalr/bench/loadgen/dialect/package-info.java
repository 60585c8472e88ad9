/** The wire protocols the load generator speaks: one {@code Dialect} per server family. */
@NullMarked
package io.github.springsignalr.bench.loadgen.dialect;

import org.jspecify.annotations.NullMarked;
