package io.github.springsignalr.interop.security;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

/**
 * The official JavaScript client (Node) on {@code /authorizedhub} over WebSockets, Server-Sent Events
 * and long polling: {@code interop/js/security/authorized-hub.test.mjs}, told whether the container sends
 * reason phrases (Tomcat does not), from which the client builds its error text.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JavaScriptClientAuthorizationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void tokenFactoryOpensAuthorizedHubOnEveryTransportAndNoTokenGetsUnauthorized() {
		NodeTests.runFile("security/authorized-hub.test.mjs", this.port, Duration.ofMinutes(3),
				Map.of("SIGNALR_REASON_PHRASES", String.valueOf(SecurityHttp.sendsReasonPhrases(this.context))));
	}
}
