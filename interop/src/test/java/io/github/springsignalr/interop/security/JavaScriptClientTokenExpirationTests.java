package io.github.springsignalr.interop.security;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * With {@code signalr.close-on-authentication-expiration=true}, the official JavaScript client's
 * connections are closed when their 5-second tokens expire, on every transport, and come back with a
 * fresh token when reconnecting: {@code interop/js/security/token-expiration.test.mjs}, run with the
 * 10.x client (the npm alias {@code signalr10}), which cannot refresh its token, so that clients older
 * than 11 stay covered.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.close-on-authentication-expiration=true")
class JavaScriptClientTokenExpirationTests {

	@LocalServerPort
	private int port;

	@Test
	void connectionsAreClosedWhenTheirTokenExpiresAndMayReconnect() {
		NodeTests.runFile("security/token-expiration.test.mjs", this.port, Duration.ofMinutes(3),
				Map.of("SIGNALR_CLIENT", "signalr10", "SIGNALR_CLIENT_VERSION", "10."));
	}
}
