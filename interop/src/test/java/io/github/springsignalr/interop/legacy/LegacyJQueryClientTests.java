package io.github.springsignalr.interop.legacy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The jQuery client of ASP.NET SignalR 2 (npm {@code signalr} 2.4.3 on {@code jquery} 3.7.1) in headless
 * Chromium, through the generated proxy of {@code /signalr/hubs}, over webSockets, serverSentEvents,
 * longPolling and foreverFrame: {@code js/legacy/jquery-client.test.mjs} (§13 items 4, 8 to 15,
 * part of 16; 17, beside {@code @microsoft/signalr} on the same hub).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.enable-detailed-errors=false")
class LegacyJQueryClientTests {

	@LocalServerPort
	private int port;

	@Test
	void jqueryClientCallsGroupsErrorsAndLifecycleOnEveryTransport() {
		NodeTests.runFile("legacy/jquery-client.test.mjs", this.port, Duration.ofMinutes(5));
	}

	/**
	 * A page with a client handler on one hub only sees no error when another hub broadcasts
	 * ({@code js/legacy/hub-subscriptions.test.mjs}; §13 item 16).
	 */
	@Test
	void pageWithAHandlerOnOneHubSeesNoErrorWhenAnotherHubBroadcasts() {
		NodeTests.runFile("legacy/hub-subscriptions.test.mjs", this.port, Duration.ofMinutes(1));
	}
}
