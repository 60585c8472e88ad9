/**
 * Tests that drive the conformance server with the real Python clients from PyPI ({@code signalrcore}
 * and {@code pysignalr}), run by pytest from {@code interop/python} in a virtual environment under
 * {@code interop/target}.
 */
@NullMarked
package io.github.springsignalr.interop.python;

import org.jspecify.annotations.NullMarked;
