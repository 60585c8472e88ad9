package io.github.springsignalr.samples.racestatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs a Python script of {@code src/test/python} in a virtual environment at {@code target/python-venv},
 * created on first use and reinstalled whenever {@code requirements.txt} changes (the interop module's
 * mechanism, for this module's one client).
 */
final class PythonScript {

	private static final Path SCRIPTS = Path.of("src", "test", "python");

	private static final Path ENVIRONMENT = Path.of("target", "python-venv");

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

	/** Copy of the requirements the environment was installed from. */
	private static final String INSTALLED_MARKER = "installed-requirements.txt";

	private PythonScript() {
	}

	/** Runs {@code python <script> <arguments>}, killing it when it outlives {@code timeout}. */
	static NodeScript.Result run(String script, Duration timeout, String... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(interpreter().toString());
		command.add(SCRIPTS.resolve(script).toString());
		command.addAll(List.of(arguments));
		return execute(command, timeout);
	}

	private static synchronized Path interpreter() throws IOException {
		Path python = ENVIRONMENT.resolve("bin").resolve("python");
		Path requirements = SCRIPTS.resolve("requirements.txt");
		Path marker = ENVIRONMENT.resolve(INSTALLED_MARKER);
		String wanted = Files.readString(requirements, StandardCharsets.UTF_8);
		if (Files.isRegularFile(python) && Files.isRegularFile(marker)
				&& wanted.equals(Files.readString(marker, StandardCharsets.UTF_8))) {
			return python;
		}
		if (!Files.isRegularFile(python)) {
			check(execute(List.of("python3", "-m", "venv", ENVIRONMENT.toString()), INSTALL_TIMEOUT),
					"python3 -m venv (the test needs python3 with the venv module)");
		}
		Files.deleteIfExists(marker);
		check(execute(List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
				"-q", "-r", requirements.toString()), INSTALL_TIMEOUT), "pip install -r " + requirements);
		Files.writeString(marker, wanted, StandardCharsets.UTF_8);
		return python;
	}

	private static void check(NodeScript.Result result, String what) {
		if (result.exitCode() != 0) {
			throw new IllegalStateException(what + " failed; output:\n" + result.output());
		}
	}

	private static NodeScript.Result execute(List<String> command, Duration timeout) throws IOException {
		Path output = Files.createTempFile("python-script-", ".log");
		@Nullable Process process = null;
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
			builder.environment().put("PYTHONUNBUFFERED", "1");
			process = builder.start();
			boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			String text = Files.readString(output, StandardCharsets.UTF_8);
			return new NodeScript.Result(exited ? process.exitValue() : -1,
					exited ? text : text + System.lineSeparator() + "(killed after " + timeout + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while running " + command, ex);
		}
		finally {
			if (process != null && process.isAlive()) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
			}
			Files.deleteIfExists(output);
		}
	}
}
