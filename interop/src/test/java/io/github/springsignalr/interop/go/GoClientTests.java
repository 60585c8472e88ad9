package io.github.springsignalr.interop.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/**
 * The Go client ({@code github.com/philippseith/signalr}) against the conformance server: runs
 * {@code go test ./... -count=1 -v} in {@code interop/go} with {@code SIGNALR_BASE_URL} pointing at this
 * server and fails with Go's output when a Go test fails, {@code go} is missing, or the run does not finish
 * in time. The Go tests cover WebSockets and Server-Sent Events with JSON, WebSockets with MessagePack, and
 * negotiation with and without {@code negotiateVersion}; on each of these: invocations, sends, callbacks, errors,
 * {@code PullStream}, {@code PushStreams} uploads, groups, and client results (receiver methods with a return
 * value answer the server's invocations).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class GoClientTests {

	/** Environment variable that carries the server's base URL to the Go tests. */
	private static final String BASE_URL_VARIABLE = "SIGNALR_BASE_URL";

	/** The first run downloads the client's modules and builds them. */
	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	@LocalServerPort
	private int port;

	@Test
	void goClientInvokesStreamsBothWaysJoinsGroupsAnswersClientResultsAndStopsOverWsAndSse() throws IOException {
		Path goDirectory = goDirectory();
		assertThat(goDirectory.resolve("go.mod")).isRegularFile();
		Path output = Files.createTempFile("go-test-", ".log");
		Process process = null;
		try {
			ProcessBuilder builder = new ProcessBuilder(List.of("go", "test", "./...", "-count=1", "-v"));
			builder.directory(goDirectory.toFile());
			builder.environment().put(BASE_URL_VARIABLE, "http://localhost:" + this.port);
			builder.redirectErrorStream(true);
			builder.redirectOutput(output.toFile());
			try {
				process = builder.start();
			}
			catch (IOException ex) {
				fail("Could not start 'go' (" + ex.getMessage() + "). These tests need the Go toolchain (1.26 or"
						+ " newer) on the PATH; it downloads the Go SignalR client from the Go module proxy.");
			}
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				destroy(process);
				fail("go test did not finish within " + TIMEOUT + "; output:\n" + read(output));
			}
			String log = read(output);
			if (process.exitValue() != 0) {
				fail("go test exited with " + process.exitValue() + "; output:\n" + log);
			}
			assertThat(log).as("go test ran the Go tests").contains("--- PASS: TestTestHub").contains("--- PASS: TestFeatures").doesNotContain("--- SKIP");
			System.out.println(log.lines()
				.filter((line) -> line.startsWith("ok") || line.startsWith("--- "))
				.collect(Collectors.joining("\n", "go test:\n", "")));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running go test", ex);
		}
		finally {
			if (process != null && process.isAlive()) {
				destroy(process);
			}
			Files.deleteIfExists(output);
		}
	}

	private static void destroy(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String read(Path output) throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}

	private static Path goDirectory() {
		Path module = Path.of("go");
		if (Files.isDirectory(module)) {
			return module.toAbsolutePath();
		}
		return Path.of("interop", "go").toAbsolutePath();
	}
}
