package io.github.springsignalr.interop.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@code node --test} file of {@code interop/js/test} against a running server and fails with
 * Node's output when a Node test fails, the file cannot run, or it does not finish in time.
 */
public final class NodeTests {

	/** Environment variable that carries the server's base URL to the Node tests. */
	static final String BASE_URL_VARIABLE = "SIGNALR_BASE_URL";

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private NodeTests() {
	}

	/** Runs {@code js/test/<fileName>} with {@code SIGNALR_BASE_URL=http://localhost:<port>}. */
	static void run(String fileName, int port) {
		runFile("test/" + fileName, port, TIMEOUT);
	}

	/**
	 * Runs {@code js/<path>} (e.g. {@code security/authorized-hub.test.mjs}) with
	 * {@code SIGNALR_BASE_URL=http://localhost:<port>}, failing after {@code timeout}.
	 */
	public static void runFile(String path, int port, Duration timeout) {
		runFile(path, "http://localhost:" + port, timeout, Map.of());
	}

	/** Like {@link #runFile(String, int, Duration)}, with extra environment variables for the Node process. */
	public static void runFile(String path, int port, Duration timeout, Map<String, String> environment) {
		runFile(path, "http://localhost:" + port, timeout, environment);
	}

	/**
	 * Runs {@code js/<path>} with {@code SIGNALR_BASE_URL=<baseUrl>} and the extra environment
	 * variables given, failing after {@code timeout}.
	 */
	public static void runFile(String path, String baseUrl, Duration timeout, Map<String, String> environment) {
		String fileName = path;
		Path jsDirectory = jsDirectory();
		Path testFile = jsDirectory.resolve(path);
		assertThat(testFile).isRegularFile();
		assertThat(jsDirectory.resolve("node_modules/@microsoft/signalr")).as("npm ci has run").isDirectory();
		Path output = null;
		Process process = null;
		try {
			output = Files.createTempFile("node-test-", ".log");
			ProcessBuilder builder = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec",
					jsDirectory.relativize(testFile).toString()));
			builder.directory(jsDirectory.toFile());
			builder.environment().putAll(environment);
			builder.environment().put(BASE_URL_VARIABLE, baseUrl);
			builder.environment().put("NO_COLOR", "1");
			builder.redirectErrorStream(true);
			builder.redirectOutput(output.toFile());
			process = builder.start();
			boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				destroy(process);
				fail("node --test " + fileName + " did not finish within " + timeout + "; output:\n" + read(output));
			}
			int exitCode = process.exitValue();
			if (exitCode != 0) {
				fail("node --test " + fileName + " exited with " + exitCode + "; output:\n" + read(output));
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
