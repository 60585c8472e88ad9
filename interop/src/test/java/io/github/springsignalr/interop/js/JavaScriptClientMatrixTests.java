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
		NodeTests.run("../matrix/transports.test.mjs", this.port);
	}

	@Test
	void transportRequestsGetTheReferenceStatusCodesAndBodies() {
		NodeTests.run("../matrix/http-rules.test.mjs", this.port);
	}

	@Test
	void longPollingSurvivesAnIdlePeriodLongerThanThePollTimeout() {
		NodeTests.run("../matrix/long-polling-idle.test.mjs", this.port);
	}
}
