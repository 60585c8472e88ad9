package io.github.springsignalr.interop.legacy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The Node client {@code signalr-client} 0.0.20 against the legacy endpoint over webSockets
 * ({@code js/legacy/signalr-client.test.mjs}, §13 item 23).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LegacyNodeClientTests {

	@LocalServerPort
	private int port;

	@Test
	void signalrClientConnectsCallsReceivesAndEnds() {
		NodeTests.runFile("legacy/signalr-client.test.mjs", this.port, Duration.ofMinutes(2));
	}
}
