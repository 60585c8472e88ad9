/**
 * Test support: {@link io.github.springsignalr.test.HubTester}, a SignalR client for an application's
 * tests that talks to the running server over a real WebSocket and hub protocol, with expectations that
 * fail as assertions; {@link io.github.springsignalr.test.AutoConfigureHubTester} makes one bound to a
 * {@code @SpringBootTest}'s server.
 */
@NullMarked
package io.github.springsignalr.test;

import org.jspecify.annotations.NullMarked;
