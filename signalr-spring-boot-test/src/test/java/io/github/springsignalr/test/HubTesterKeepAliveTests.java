package io.github.springsignalr.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * A {@link HubTester} connection pings the server as the official clients do, so a test that waits longer
 * than the server's client timeout keeps its connection (shortened here to 2 s; the tester pings every
 * second with a 1 s timeout, every 15 s at most; the server times a client out only after its first
 * Ping). With pings every 6 s the connection is closed by the 9 s wait.
 */
@SpringBootTest(classes = TestHubApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "signalr.hub.client-timeout-interval=2s", "signalr.hub.keep-alive-interval=1s" })
@AutoConfigureHubTester
class HubTesterKeepAliveTests {

	@Autowired
	private HubTester hubTester;

	@Test
	void aConnectionOutlivesTheServersClientTimeoutWhileTheTestWaits() throws Exception {
		try (HubTestConnection lab = this.hubTester.withTimeout(Duration.ofSeconds(1)).connect("/lab")) {
			lab.invoke("Add", 1, 1).expectResult(2);
			Thread.sleep(9000);
			assertThat(lab.isClosed()).as("closed by the server's client timeout").isFalse();
			lab.invoke("Add", 2, 2).expectResult(4);
		}
	}
}
