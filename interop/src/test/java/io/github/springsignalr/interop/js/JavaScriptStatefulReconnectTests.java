package io.github.springsignalr.interop.js;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/** The official JavaScript client's stateful reconnect against a server that allows it. */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "signalr.allow-stateful-reconnects=true")
class JavaScriptStatefulReconnectTests {

	@LocalServerPort
	private int port;

	@Test
	void cutWebSocketsLoseAndDuplicateNothing() {
		NodeTests.runFile("matrix/stateful-reconnect.test.mjs", this.port, java.time.Duration.ofMinutes(3));
	}
}
