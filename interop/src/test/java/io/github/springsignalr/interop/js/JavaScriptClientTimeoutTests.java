package io.github.springsignalr.interop.js;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/**
 * Keep-alive, client timeout, handshake timeout and disconnect timeout, observed from Node with
 * shortened intervals so that each takes about a second.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "signalr.hub.keep-alive-interval=300ms", "signalr.hub.client-timeout-interval=1s",
				"signalr.hub.handshake-timeout=1s", "signalr.disconnect-timeout=1s" })
class JavaScriptClientTimeoutTests {

	@LocalServerPort
	private int port;

	@Test
	void serverPingsIdleClientsTimesOutSilentOnesAndDropsConnectionsThatNeverConnect() {
		NodeTests.run("timeouts.test.mjs", this.port);
	}
}
