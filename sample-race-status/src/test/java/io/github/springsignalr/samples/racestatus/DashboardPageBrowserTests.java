package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Opens the dashboard page in a real headless Chromium ({@code /usr/bin/chromium}, driven by
 * {@code playwright-core} through {@code src/test/js/browser-dashboard.cjs}): it signs in with a
 * development token, follows an event, shows every car, the flags and the control log, rows that change
 * as the race goes on, and reconnects and subscribes again when its WebSocket is dropped. Skipped only
 * when Chromium is missing and cannot have been installed (not running as root).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "race.simulator.speed=5")
@ActiveProfiles("dev")
class DashboardPageBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);

	@LocalServerPort
	private int port;

	@Test
	void pageShowsTheRaceMovingAndFollowsItAgainAfterADroppedConnection() throws Exception {
		if (!Files.isExecutable(CHROMIUM)) {
			Assumptions.assumeTrue(isRoot(), "Skipping the browser test: " + CHROMIUM
					+ " is not installed (install it with `apt-get install -y chromium`, as root)");
		}
		assertThat(CHROMIUM).as("Chromium, which the project's test script installs when run as root")
			.isExecutable();
		NodeScript.Result result = NodeScript.run("browser-dashboard.cjs", SCRIPT_TIMEOUT,
				"http://localhost:" + this.port);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("rows changed")
			.contains("reconnected, subscribed again, rows changed")
			.contains("browser dashboard passed");
	}

	private static boolean isRoot() {
		try {
			// the owner of /proc/self is the uid this JVM runs as
			return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (Exception ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}
}
