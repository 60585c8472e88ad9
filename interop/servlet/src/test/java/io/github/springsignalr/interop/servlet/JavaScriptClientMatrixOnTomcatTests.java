package io.github.springsignalr.interop.servlet;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The official JavaScript client's matrix against the conformance server on Spring MVC and Tomcat: every
 * transport and protocol it supports (WebSockets, Server-Sent Events and long polling; JSON and
 * MessagePack), the reference's answers to transport requests, and an idle long poll; the same files the
 * WebFlux server passes.
 */
@SpringBootTest(classes = InteropServletApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JavaScriptClientMatrixOnTomcatTests {

	@LocalServerPort
	private int port;

	@Test
	void everyTransportAndProtocolCallsStreamsAndAnswersClientResults() {
		NodeSuite.run("matrix/transports.test.mjs", this.port, Duration.ofMinutes(3));
	}

	@Test
	void transportRequestsGetTheReferenceStatusCodesAndBodies() {
		NodeSuite.run("matrix/http-rules.test.mjs", this.port, Duration.ofMinutes(3));
	}

	@Test
	void longPollingSurvivesAnIdlePeriodLongerThanThePollTimeout() {
		NodeSuite.run("matrix/long-polling-idle.test.mjs", this.port, Duration.ofMinutes(3));
	}
}
