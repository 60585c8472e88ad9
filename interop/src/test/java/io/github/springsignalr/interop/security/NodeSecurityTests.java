package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@code node --test} file of {@code interop/js/security} against a running server and fails
 * with Node's output when a Node test fails, the file cannot run, or it does not finish in time.
 */
final class NodeSecurityTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	private NodeSecurityTests() {
	}

	/** Runs {@code js/security/<fileName>} with {@code SIGNALR_BASE_URL=http://localhost:<port>}. */
	static void run(String fileName, int port) {
		Path jsDirectory = jsDirectory();
		Path testFile = jsDirectory.resolve("security").resolve(fileName);
		assertThat(testFile).isRegularFile();
		assertThat(jsDirectory.resolve("node_modules/@microsoft/signalr")).as("npm ci has run").isDirectory();
		Path output = null;
		Process process = null;
		try {
			output = Files.createTempFile("node-security-test-", ".log");
			ProcessBuilder builder = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec",
					jsDirectory.relativize(testFile).toString()));
			builder.directory(jsDirectory.toFile());
			builder.environment().put("SIGNALR_BASE_URL", "http://localhost:" + port);
			builder.environment().put("NO_COLOR", "1");
			builder.redirectErrorStream(true);
			builder.redirectOutput(output.toFile());
			process = builder.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				destroy(process);
				fail("node --test " + fileName + " did not finish within " + TIMEOUT + "; output:\n" + read(output));
			}
			if (process.exitValue() != 0) {
				fail("node --test " + fileName + " exited with " + process.exitValue() + "; output:\n" + read(output));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run node (is Node 20 on the PATH?)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + fileName, ex);
		}
		finally {
			if (process != null && process.isAlive()) {
				destroy(process);
			}
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a leftover temporary file is harmless
				}
			}
		}
	}

	private static void destroy(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String read(Path output) throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}

	private static Path jsDirectory() {
		Path module = Path.of("js");
		if (Files.isDirectory(module)) {
			return module.toAbsolutePath();
		}
		return Path.of("interop", "js").toAbsolutePath();
	}
}
