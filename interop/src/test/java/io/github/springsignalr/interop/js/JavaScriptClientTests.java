package io.github.springsignalr.interop.js;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.interop.InteropApplication;

/**
 * The official JavaScript client ({@code @microsoft/signalr} under Node) and raw WebSockets against the
 * conformance server with its default settings. Each test runs one Node test file of
 * {@code interop/js/test}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(JsUserIdConfiguration.class)
class JavaScriptClientTests {

	@LocalServerPort
	private int port;

	@Test
	void testHubInvocationsStreamsCallbacksAndConnectionLifecycleWorkWithTheOfficialClient() {
		NodeTests.run("testhub.test.mjs", this.port);
	}

	@Test
	void negotiateResponsesAndNegotiateErrorsAreWhatTheClientExpects() {
		NodeTests.run("negotiate.test.mjs", this.port);
	}

	@Test
	void rawEchoConnectionEchoesTextAndClosesWithNormalClosure() {
		NodeTests.run("raw-connection.test.mjs", this.port);
	}

	@Test
	void groupsUsersAndHubContextDeliverEachMessageOnlyToItsTargets() {
		NodeTests.run("groups.test.mjs", this.port);
	}

	@Test
	void badInputClosesOnlyTheOffendingConnectionWithTheReferenceErrors() {
		NodeTests.run("bad-input.test.mjs", this.port);
	}
}
