package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The RedMist guide's Python snippet (signalrcore with an access token factory and automatic reconnect),
 * run unmodified by {@code src/test/python/seed_client.py}: it connects with a development token, and
 * the script subscribes and prints the full status and the patches; after the connection is dropped,
 * signalrcore reconnects, the script subscribes again and the updates go on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "race.simulator.speed=5")
@ActiveProfiles("dev")
class SeedPythonClientTests {

	@LocalServerPort
	private int port;

	@Test
	void guidesPythonSnippetConnectsWithATokenAndPrintsUpdatesAcrossAReconnect() throws Exception {
		NodeScript.Result result = PythonScript.run("seed_client.py", Duration.ofSeconds(120),
				"http://localhost:" + this.port);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("full status: Sebring 4 Hours (simulated), 32 cars")
			.contains("patch: ")
			.contains("connection dropped")
			.contains("reconnected with")
			.contains("seed python client passed");
	}
}
