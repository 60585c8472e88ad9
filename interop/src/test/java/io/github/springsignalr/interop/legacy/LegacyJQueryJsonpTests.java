package io.github.springsignalr.interop.legacy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The jQuery client 2.4.3 in headless Chromium with {@code start({jsonp: true})} against the interop
 * server with {@code signalr.legacy.jsonp=true} ({@code js/legacy/jsonp.test.mjs}; §13 item 16): it
 * connects over longPolling, each request a script with a callback, and works. With JSONP off (the
 * default) the same start fails with 403: {@link LegacyJQueryClientTests}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.legacy.jsonp=true")
class LegacyJQueryJsonpTests {

	@LocalServerPort
	private int port;

	@Test
	void jqueryClientStartedWithJsonpWorksOverLongPolling() {
		NodeTests.runFile("legacy/jsonp.test.mjs", this.port, Duration.ofMinutes(1));
	}
}
