package io.github.springsignalr.interop.js;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/**
 * The official JavaScript client on every transport and protocol it supports: WebSockets, Server-Sent
 * Events and long polling, JSON and MessagePack.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JavaScriptClientMatrixTests {

	@LocalServerPort
	private int port;

	@Test
	void everyTransportAndProtocolCallsStreamsAndAnswersClientResults() {
		NodeTests.runFile("matrix/transports.test.mjs", this.port, java.time.Duration.ofMinutes(3));
	}

	@Test
	void transportRequestsGetTheReferenceStatusCodesAndBodies() {
		NodeTests.runFile("matrix/http-rules.test.mjs", this.port, java.time.Duration.ofMinutes(3));
	}

	@Test
	void longPollingSurvivesAnIdlePeriodLongerThanThePollTimeout() {
		NodeTests.runFile("matrix/long-polling-idle.test.mjs", this.port, java.time.Duration.ofMinutes(3));
	}
}
