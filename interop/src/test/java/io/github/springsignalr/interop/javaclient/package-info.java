/**
 * Integration tests that drive the conformance server with the official Java SignalR client
 * ({@code com.microsoft.signalr}), and the test hubs they use (paths starting with {@code /java-}).
 */
@NullMarked
package io.github.springsignalr.interop.javaclient;

import org.jspecify.annotations.NullMarked;
