package io.github.springsignalr.bench.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server launched for the benchmark: pinned to a core, waited for until it prints {@code READY <port>}. */
final class ServerProcess implements AutoCloseable {

	final Process process;

	final int port;

	final List<String> command;

	private ServerProcess(Process process, int port, List<String> command) {
		this.process = process;
		this.port = port;
		this.command = command;
	}

	long pid() {
		return process.pid();
	}

	/** Substitutes {@code ${KEY}} placeholders and splits on blanks. */
	static List<String> command(String template, Map<String, String> values) {
		String line = template;
		for (Map.Entry<String, String> value : values.entrySet()) {
			line = line.replace("${" + value.getKey() + "}", value.getValue());
		}
		List<String> command = new ArrayList<>();
		for (String part : line.trim().split("\\s+")) {
			if (!part.isEmpty()) {
				command.add(part);
			}
		}
		return command;
	}

	/** Starts {@code command} (prefixed with {@code taskset -c cpu} unless cpu is null) and waits for READY. */
	static ServerProcess start(List<String> command, @org.jspecify.annotations.Nullable String cpu, Path log,
			Duration timeout) throws IOException {
		List<String> full = new ArrayList<>();
		if (cpu != null) {
			full.addAll(List.of("taskset", "-c", cpu));
		}
		full.addAll(command);
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		CompletableFuture<Integer> ready = new CompletableFuture<>();
		Thread pump = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
				String line;
				while ((line = in.readLine()) != null) {
					out.println(line);
					if (!ready.isDone() && line.startsWith("READY ")) {
						ready.complete(Integer.parseInt(line.substring(6).trim()));
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				ready.completeExceptionally(ex);
			}
			ready.completeExceptionally(new IOException("exited before READY; see " + log));
		}, "server-output");
		pump.setDaemon(true);
		pump.start();
		try {
			return new ServerProcess(process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS), full);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IOException("server did not start: " + String.join(" ", full) + ": " + ex, ex);
		}
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}
}
