package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Opens the operator view ({@code /ops.html}) in a real headless Chromium ({@code /usr/bin/chromium},
 * driven by {@code playwright-core} through {@code src/test/js/ops-view.cjs}) while three official
 * JavaScript clients, one per transport, chat: the page shows the connections by transport, messages per
 * second in and out, charts with points and the hub's row, then no connections once the clients stopped.
 * It leaves a screenshot in {@code target/ops-view.png}. Skipped like {@link ChatPageBrowserTests} when
 * Chromium is missing and cannot have been installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpsViewBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);

	@LocalServerPort
	private int port;

	@Test
	void chartsConnectionsByTransportAndMessageRatesOfChattingClients() throws Exception {
		if (!Files.isExecutable(CHROMIUM)) {
			Assumptions.assumeTrue(isRoot(), "Skipping the browser test: " + CHROMIUM
					+ " is not installed (install it with `apt-get install -y chromium`, as root)");
		}
		assertThat(CHROMIUM).as("Chromium, which the project's test script installs when run as root")
			.isExecutable();
		Path screenshot = Path.of("target", "ops-view.png").toAbsolutePath();
		NodeScript.Result result = NodeScript.run("ops-view.cjs", SCRIPT_TIMEOUT, "http://localhost:" + this.port,
				screenshot.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("ops view passed");
		assertThat(screenshot).isNotEmptyFile();
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
