package io.github.springsignalr.samples.racestatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the Node scripts in {@code src/test/js} and collects its exit code and output. */
final class NodeScript {

	private static final Path SCRIPTS = Path.of("src", "test", "js");

	private NodeScript() {
	}

	/** Runs {@code node <script> <arguments>}, killing it when it outlives {@code timeout}. */
	static Result run(String script, Duration timeout, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("node");
		command.add(SCRIPTS.resolve(script).toString());
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("node-script-", ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!exited) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			return new Result(exited ? process.exitValue() : -1,
					exited ? text : text + System.lineSeparator() + "(killed after " + timeout + ")");
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	/** Exit code ({@code -1} when killed) and combined stdout and stderr of a script. */
	record Result(int exitCode, String output) {
	}
}
