package io.github.springsignalr.interop.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

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
		NodeSecurityTests.run("authorized-hub.test.mjs", this.port);
	}
}
