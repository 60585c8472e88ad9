/**
 * Tests that drive the conformance server with the official JavaScript client
 * ({@code @microsoft/signalr}) and raw WebSockets under Node, plus the test hubs they use.
 */
@NullMarked
package io.github.springsignalr.interop.js;

import org.jspecify.annotations.NullMarked;
