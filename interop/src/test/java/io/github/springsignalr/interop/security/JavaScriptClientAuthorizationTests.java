package io.github.springsignalr.interop.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The official JavaScript client (Node) on {@code /authorizedhub} over WebSockets, Server-Sent Events
 * and long polling: {@code interop/js/security/authorized-hub.test.mjs}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JavaScriptClientAuthorizationTests {

	@LocalServerPort
	private int port;

	@Test
	void tokenFactoryOpensAuthorizedHubOnEveryTransportAndNoTokenGetsUnauthorized() {
		NodeTests.runFile("security/authorized-hub.test.mjs", this.port, Duration.ofMinutes(3));
	}
}
