package io.github.springsignalr.interop.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs one pytest file of {@code interop/python} against a running server, in a virtual environment
 * at {@code interop/target/python-venv} that is created on first use and reinstalled whenever
 * {@code requirements.txt} changes. Fails with pytest's output when a Python test fails, and with a
 * clear message when {@code python3} is missing or the environment cannot be installed.
 */
public final class PythonTests {

	/** Environment variable that carries the server's base URL to the Python tests. */
	static final String BASE_URL_VARIABLE = "SIGNALR_BASE_URL";

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

	private static final Duration TEST_TIMEOUT = Duration.ofMinutes(3);

	private static final String REQUIREMENTS = "requirements.txt";

	/** Exits with 1 on a Python older than pysignalr's minimum. */
	private static final String VERSION_CHECK = "import sys; print(sys.version); sys.exit(sys.version_info < (3, 10))";

	/** Copy of the requirements the environment was installed from. */
	private static final String INSTALLED_MARKER = "installed-requirements.txt";

	private PythonTests() {
	}

	/** Runs {@code python/<fileName>} with {@code SIGNALR_BASE_URL=http://localhost:<port>}. */
	public static void run(String fileName, int port) {
		run(fileName, port, Map.of());
	}

	/** Like {@link #run(String, int)}, with extra environment variables for pytest. */
	public static void run(String fileName, int port, Map<String, String> environment) {
		runIn("python", fileName, port, environment);
	}

	/**
	 * Like {@link #run(String, int, Map)}, for a pytest file of another folder of {@code interop} with its
	 * own {@code requirements.txt}, installed into {@code interop/target/<folder>-venv}.
	 */
	public static void runIn(String folder, String fileName, int port, Map<String, String> environment) {
		Path pythonDirectory = pythonDirectory(folder);
		Path testFile = pythonDirectory.resolve(fileName);
		assertThat(testFile).isRegularFile();
		Path python = virtualEnvironment(pythonDirectory);
		List<String> command = List.of(python.toString(), "-m", "pytest", "-v", fileName);
		Map<String, String> variables = new HashMap<>(environment);
		variables.put(BASE_URL_VARIABLE, "http://localhost:" + port);
		Result result = execute(command, pythonDirectory, TEST_TIMEOUT, variables);
		if (result.timedOut()) {
			fail("pytest " + fileName + " did not finish within " + TEST_TIMEOUT + "; output:\n" + result.output());
		}
		if (result.exitCode() != 0) {
			fail("pytest " + fileName + " exited with " + result.exitCode() + "; output:\n" + result.output());
		}
	}

	/** Creates the virtual environment and installs the requirements unless that has been done already. */
	public static void prepare() {
		virtualEnvironment(pythonDirectory("python"));
	}

	/** The environment's interpreter, after creating the environment and installing the requirements if needed. */
	private static synchronized Path virtualEnvironment(Path pythonDirectory) {
		Path environment = pythonDirectory.resolveSibling("target").resolve(pythonDirectory.getFileName() + "-venv");
		Path requirements = pythonDirectory.resolve(REQUIREMENTS);
		Path marker = environment.resolve(INSTALLED_MARKER);
		try {
			String wanted = Files.readString(requirements, StandardCharsets.UTF_8);
			Path python = interpreter(environment);
			if (python != null && Files.isRegularFile(marker)
					&& wanted.equals(Files.readString(marker, StandardCharsets.UTF_8))) {
				return python;
			}
			if (python == null) {
				create(environment);
				python = interpreter(environment);
				if (python == null) {
					fail("python3 -m venv " + environment + " created no interpreter");
				}
			}
			Files.deleteIfExists(marker);
			Result install = execute(List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check",
					"--no-input", "-q", "-r", requirements.toString()), pythonDirectory, INSTALL_TIMEOUT, Map.of());
			if (install.timedOut() || install.exitCode() != 0) {
				fail("pip install -r " + requirements + (install.timedOut() ? " timed out" : " failed")
						+ " (is PyPI reachable?); output:\n" + install.output());
			}
			Files.writeString(marker, wanted, StandardCharsets.UTF_8);
			return python;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not prepare the Python environment " + environment, ex);
		}
	}

	private static void create(Path environment) {
		Result version;
		try {
			version = execute(List.of("python3", "-c", VERSION_CHECK), environment.getParent(), INSTALL_TIMEOUT,
					Map.of());
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("The Python client tests need python3 (3.10 or newer, with the venv "
					+ "module) on the PATH, and it could not be started", ex);
		}
		if (version.timedOut() || version.exitCode() != 0) {
			fail("The Python client tests need python3 3.10 or newer (pysignalr requires it); python3 says:\n"
					+ version.output());
		}
		Result created = execute(List.of("python3", "-m", "venv", environment.toString()), environment.getParent(),
				INSTALL_TIMEOUT, Map.of());
		if (created.timedOut() || created.exitCode() != 0) {
			fail("python3 -m venv " + environment + " failed (the Python client tests need python3 3.10 or newer "
					+ "with the venv module, e.g. the python3-venv package); output:\n" + created.output());
		}
	}

	private static @Nullable Path interpreter(Path environment) {
		for (Path candidate : List.of(environment.resolve("bin").resolve("python"),
				environment.resolve("Scripts").resolve("python.exe"))) {
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static Result execute(List<String> command, Path directory, Duration timeout,
			Map<String, String> environment) {
		Path output = null;
		Process process = null;
		try {
			Files.createDirectories(directory);
			output = Files.createTempFile("python-test-", ".log");
			ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
			builder.directory(directory.toFile());
			builder.environment().putAll(environment);
			builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
			builder.environment().put("PYTHONUNBUFFERED", "1");
			builder.redirectErrorStream(true);
			builder.redirectOutput(output.toFile());
			process = builder.start();
			boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				destroy(process);
				return new Result(-1, true, read(output));
			}
			return new Result(process.exitValue(), false, read(output));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", command), ex);
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

	private static Path pythonDirectory(String folder) {
		Path module = Path.of(folder);
		if (Files.isDirectory(module)) {
			return module.toAbsolutePath();
		}
		return Path.of("interop", folder).toAbsolutePath();
	}

	/** How a command ended and what it printed. */
	private record Result(int exitCode, boolean timedOut, String output) {
	}
}
