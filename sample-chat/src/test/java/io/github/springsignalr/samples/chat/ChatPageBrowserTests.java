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
 * Opens the chat page in two tabs of a real headless Chromium ({@code /usr/bin/chromium}, driven by
 * {@code playwright-core} through {@code src/test/js/browser-chat.cjs}) and chats between them; then
 * opens the classic page {@code /legacy.html} (the ASP.NET SignalR 2 jQuery client through
 * {@code /signalr}) at phone width in a third tab and chats with the main page both ways, in a shared
 * room that the other tab, not a member, never hears from.
 * Skipped only when Chromium is missing and cannot have been installed (not running as root); as root
 * a missing Chromium is a failure, since the project's test script installs it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPageBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

	@LocalServerPort
	private int port;

	@Test
	void showsMessagesBetweenTabsOfTheMainAndClassicPagesRoomsIncluded() throws Exception {
		if (!Files.isExecutable(CHROMIUM)) {
			Assumptions.assumeTrue(isRoot(), "Skipping the browser test: " + CHROMIUM
					+ " is not installed (install it with `apt-get install -y chromium`, as root)");
		}
		assertThat(CHROMIUM).as("Chromium, which the project's test script installs when run as root")
			.isExecutable();
		NodeScript.Result result = NodeScript.run("browser-chat.cjs", SCRIPT_TIMEOUT, "http://localhost:" + this.port);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("browser chat passed");
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
