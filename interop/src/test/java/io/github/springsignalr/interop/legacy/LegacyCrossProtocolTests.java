package io.github.springsignalr.interop.legacy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three generations of clients on one {@link ChatHub} see each other's broadcasts, group sends and
 * {@code HubContext} sends ({@code LEGACY-PROTOCOL.md} §13 item 17): the jQuery client 2.4.3 in headless
 * Chromium over webSockets and longPolling, {@code @microsoft/signalr} with MessagePack under Node
 * ({@code js/legacy/cross-protocol.test.mjs}) and the official Java client 9.0.3 with JSON
 * ({@link AnsweringJavaClient}), so every send is written in three encodings.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LegacyCrossProtocolTests {

	@LocalServerPort
	private int port;

	@Test
	void jqueryPageJavaScriptClientAndJavaClientSeeEachOthersMessages() {
		try (AnsweringJavaClient java = AnsweringJavaClient.connect("http://localhost:" + this.port)) {
			NodeTests.runFile("legacy/cross-protocol.test.mjs", this.port, Duration.ofMinutes(3),
					Map.of("SIGNALR_JAVA_CONNECTION_ID", java.connectionId()));
			assertSawTheOthers(java);
		}
	}

	/** What the Java client must have received of the script's sends, on each of the page's transports. */
	static void assertSawTheOthers(AnsweringJavaClient java) {
		for (String transport : new String[] { "webSockets", "longPolling" }) {
			String over = " over " + transport;
			assertThat(java.received()).contains("jquery:ask java:broadcast from jquery" + over,
					"js:ask java:broadcast from js" + over, "mixed:ask java:group from jquery" + over,
					"mixed:ask java:group from js" + over, "hook:ask java:context of the page's node" + over,
					"hook:ask java:context of the other clients' node" + over,
					"hook:ask java:to the Java client" + over)
				.doesNotContain("hook:ask java:not for java" + over, "hook:to the jQuery page" + over);
		}
		assertThat(java.failedAnswers()).isEmpty();
	}
}
