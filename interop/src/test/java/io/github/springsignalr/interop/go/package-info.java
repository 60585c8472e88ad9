/**
 * Tests that drive the conformance server with the Go client {@code github.com/philippseith/signalr}: the
 * Go test package in {@code interop/go}, run by {@code go test} against a server on a random port.
 */
@NullMarked
package io.github.springsignalr.interop.go;

import org.jspecify.annotations.NullMarked;
