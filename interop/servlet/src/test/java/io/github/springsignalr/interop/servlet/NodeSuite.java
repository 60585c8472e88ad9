package io.github.springsignalr.interop.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs one {@code node --test} file of {@code interop/js} (the suites the WebFlux server passes) against
 * the servlet server, failing with Node's output when a Node test fails or the file does not finish in time.
 */
final class NodeSuite {

	private NodeSuite() {
	}

	static void run(String path, int port, Duration timeout) {
		Path js = Path.of("..", "js").toAbsolutePath().normalize();
		assertThat(js.resolve(path)).isRegularFile();
		assertThat(js.resolve("node_modules/@microsoft/signalr")).as("npm ci has run in interop/js").isDirectory();
		Path output = null;
		Process process = null;
		try {
			output = Files.createTempFile("node-test-", ".log");
			ProcessBuilder builder = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec", path));
			builder.directory(js.toFile());
			builder.environment().put("SIGNALR_BASE_URL", "http://localhost:" + port);
			builder.environment().put("NO_COLOR", "1");
			builder.redirectErrorStream(true);
			builder.redirectOutput(output.toFile());
			process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				fail("node --test " + path + " did not finish within " + timeout + "; output:\n" + read(output));
			}
			if (process.exitValue() != 0) {
				fail("node --test " + path + " exited with " + process.exitValue() + "; output:\n" + read(output));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run node (is Node 20 on the PATH?)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + path, ex);
		}
		finally {
			if (process != null && process.isAlive()) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
			}
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a temporary file left behind
				}
			}
		}
	}

	private static String read(Path output) throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}
}
