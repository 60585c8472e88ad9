package io.github.springsignalr.interop.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The official JavaScript client 11.x with {@code withAuthenticationRefresh()}, against
 * {@code /authorizedhub} with {@code signalr.close-on-authentication-expiration=true}: on every transport a
 * connection whose tokens live 10 s keeps invoking for 40 s, the same without refresh is closed when its
 * token expires, and another user's token is refused without disturbing the connection:
 * {@code interop/js/security/authentication-refresh.test.mjs}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.close-on-authentication-expiration=true")
class JavaScriptClientAuthenticationRefreshTests {

	@LocalServerPort
	private int port;

	@Test
	void connectionsRefreshTheirTokensOnEveryTransportInsteadOfBeingClosed() {
		NodeTests.runFile("security/authentication-refresh.test.mjs", this.port, Duration.ofMinutes(4));
	}
}
