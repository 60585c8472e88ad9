package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** Writes {@code REPORT.md} and its charts from the results of a run. */
final class Report {

	/** How the run was made. */
	record Setup(String command, String jvmFlags, @Nullable String serverCpu, Duration warmup, Duration serverWarmup,
			Duration measure, boolean quick) {
	}

	private Report() {
	}

	static void write(Path out, List<Result> results, List<ServerTable.Row> rows, Map<String, String> commands,
			List<String> skipped, Setup setup) throws IOException {
		Map<String, String> labels = new LinkedHashMap<>();
		String baseline = null;
		for (ServerTable.Row row : rows) {
			labels.put(row.name(), row.label());
			if (row.baseline()) {
				baseline = row.name();
			}
		}
		// each row's ratios divide by the raw server of its own transport, when it names one
		Map<String, String> bases = new LinkedHashMap<>();
		for (ServerTable.Row row : rows) {
			String base = (row.compare() != null) ? row.compare() : baseline;
			if (base != null) {
				bases.put(row.name(), base);
			}
		}
		Set<String> servers = new LinkedHashSet<>();
		for (ServerTable.Row row : rows) {
			if (results.stream().anyMatch((result) -> result.server().equals(row.name()))) {
				servers.add(row.name());
			}
		}
		List<String> loadScenarios = new ArrayList<>();
		List<String> idleScenarios = new ArrayList<>();
		for (Scenario scenario : Scenario.all()) {
			if (results.stream().anyMatch((result) -> result.scenario().equals(scenario.name()))) {
				(scenario.kind() == Scenario.Kind.IDLE ? idleScenarios : loadScenarios).add(scenario.name());
			}
		}
		StringBuilder md = new StringBuilder();
		md.append("# Benchmark report\n\n");
		md.append("Generated ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
			.append(" by `").append(setup.command()).append("`")
			.append(setup.quick() ? " (**quick run**: short periods, figures are indicative only)" : "")
			.append(".\n\n");
		md.append("Every figure is also given as a ratio to the raw Reactor Netty WebSocket server (`")
			.append(baseline == null ? "none in this run" : baseline)
			.append("`), which does the same work with the least machinery and the best write path Netty allows, ")
			.append("and is the upper bound of our stack; rows over Server-Sent Events and long polling are given ")
			.append("against the same raw server's HTTP transports, and our Spring MVC row against raw Tomcat ")
			.append("WebSocket (the row's `compare` key). ")
			.append("Absolute numbers on a shared machine mean little; the ratios are the result.\n\n");
		setup(md, setup);
		Targets.write(md, results, rows, baseline);
		Summary.write(md, results, servers, loadScenarios, labels, bases);
		charts(out, md, results, servers, loadScenarios, idleScenarios, labels, bases);
		for (String scenario : loadScenarios) {
			loadTable(md, scenario, results, servers, labels, bases);
		}
		idleTable(md, idleScenarios, results, servers, labels, baseline);
		redisTable(md, results, labels);
		md.append("## Not measured\n\n");
		for (Scenario scenario : Scenario.all()) {
			if (!Bench.runnable(scenario)) {
				md.append("- **").append(scenario.name()).append(".** The open-files limit of this machine is ")
					.append(Bench.openFileLimit()).append(" (`ulimit -n`, inherited by the servers); the generator ")
					.append("needs one descriptor per connection and the server one more, plus ")
					.append(Bench.SPARE_FILES).append(" spare: ").append(scenario.connections())
					.append(" connections cannot be opened here. The scenario runs where the limit allows it.\n");
			}
		}
		for (String skip : skipped) {
			md.append("- Server `").append(skip).append("` did not run.\n");
		}
		for (Result result : results) {
			if (!result.note().isEmpty()) {
				md.append("- `").append(result.server()).append("` / ").append(result.scenario()).append(": ")
					.append(result.note()).append('\n');
			}
		}
		md.append('\n');
		md.append("## Servers and command lines\n\n| server | label | dialect | command line |\n|---|---|---|---|\n");
		for (ServerTable.Row row : rows) {
			md.append("| `").append(row.name()).append("` | ").append(row.label()).append(" | ").append(row.dialect())
				.append(" | `").append(commands.getOrDefault(row.name(), "(not started)")).append("` |\n");
		}
		for (Map.Entry<String, String> command : commands.entrySet()) {
			if (labels.get(command.getKey()) == null) {
				md.append("| `").append(command.getKey()).append("` | | | `").append(command.getValue())
					.append("` |\n");
			}
		}
		md.append('\n');
		method(md);
		Files.writeString(out.resolve("REPORT.md"), md.toString(), StandardCharsets.UTF_8);
	}

	private static void setup(StringBuilder md, Setup setup) {
		md.append("## Setup\n\n");
		md.append("- Machine: ").append(cpuModel()).append(", ").append(read("/proc/cpuinfo").split("\nprocessor").length)
			.append(" cores; Linux ").append(read("/proc/sys/kernel/osrelease"))
			.append(".\n");
		md.append("- Pinning: ").append(setup.serverCpu() == null ? "none"
				: "every server (and Redis) `taskset -c " + setup.serverCpu() + "`, the load generator `taskset -c 0`"
						+ " (one event-loop thread)").append(".\n");
		md.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.runtime.version")).append("; Java servers run with `")
			.append(setup.jvmFlags()).append("`; a row with `java.min` runs on a JDK at least that recent ")
			.append("when one is installed (its command line below names the `java`).\n");
		md.append("- Versions: Spring Boot ").append(pomProperty("spring-boot.version")).append(", Reactor Netty ")
			.append(Optional.ofNullable(reactor.netty.http.client.HttpClient.class.getPackage()
				.getImplementationVersion()).orElse("(from Spring Boot's BOM)"))
			.append(", git commit ").append(git()).append(".\n");
		md.append("- Periods: ").append(setup.warmup().toSeconds()).append(" s warm-up, ")
			.append(setup.measure().toSeconds()).append(" s measured, per scenario and server; the first scenario of ")
			.append("each server warms up ").append(setup.serverWarmup().toSeconds())
			.append(" s longer (the server's JIT), every scenario of the HTTP transports' rows (Server-Sent Events, ")
			.append("long polling; raw and ours) too.\n\n");
	}

	private static void charts(Path out, StringBuilder md, List<Result> results, Set<String> servers,
			List<String> loadScenarios, List<String> idleScenarios, Map<String, String> labels,
			Map<String, String> bases) throws IOException {
		List<String> series = new ArrayList<>(servers);
		List<String> names = series.stream().map((server) -> labels.getOrDefault(server, server)).toList();
		md.append("## Charts\n\n");
		if (!bases.isEmpty() && !loadScenarios.isEmpty()) {
			double[][] ratios = matrix(series, loadScenarios, results, (result) -> {
				Optional<Result> raw = base(results, bases, result.server(), result.scenario());
				return raw.map((r) -> result.deliveredPerSecond() / r.deliveredPerSecond()).orElse(Double.NaN);
			});
			Charts.bars(out.resolve("throughput-ratio.png"), "Delivered messages/s as a ratio to raw Reactor Netty (same transport)",
					"ratio (1 = raw Netty)", loadScenarios, names, ratios, 1.0);
			md.append("![throughput ratio](throughput-ratio.png)\n\n");
		}
		if (!loadScenarios.isEmpty()) {
			Charts.bars(out.resolve("throughput.png"), "Delivered messages per second", "messages/s", loadScenarios,
					names, matrix(series, loadScenarios, results, Result::deliveredPerSecond), Double.NaN);
			md.append("![throughput](throughput.png)\n\n");
			Charts.bars(out.resolve("latency-p99.png"), "p99 latency, send to delivery", "ms", loadScenarios, names,
					matrix(series, loadScenarios, results, (result) -> result.p99Micros() / 1000), Double.NaN);
			md.append("![p99 latency](latency-p99.png)\n\n");
			Charts.bars(out.resolve("cpu-per-message.png"), "Server CPU per delivered message", "CPU-µs",
					loadScenarios, names, matrix(series, loadScenarios, results, Result::cpuMicrosPerMessage),
					Double.NaN);
			md.append("![CPU per message](cpu-per-message.png)\n\n");
		}
		if (!idleScenarios.isEmpty()) {
			Charts.bars(out.resolve("idle-memory.png"), "Memory per idle connection (JVM: heap after GC; else RSS)",
					"KB", idleScenarios, names, matrix(series, idleScenarios, results,
							(result) -> (Double.isNaN(result.heapPerConnection()) ? result.rssPerConnection()
									: result.heapPerConnection()) / 1024),
					Targets.IDLE_BYTES / 1024);
			md.append("![idle memory](idle-memory.png)\n\n");
		}
	}

	private static double[][] matrix(List<String> series, List<String> scenarios, List<Result> results,
			java.util.function.ToDoubleFunction<Result> value) {
		double[][] values = new double[series.size()][scenarios.size()];
		for (int s = 0; s < series.size(); s++) {
			for (int c = 0; c < scenarios.size(); c++) {
				values[s][c] = find(results, series.get(s), scenarios.get(c)).map(value::applyAsDouble)
					.orElse(Double.NaN);
			}
		}
		return values;
	}

	private static void loadTable(StringBuilder md, String scenario, List<Result> results, Set<String> servers,
			Map<String, String> labels, Map<String, String> bases) {
		Scenario definition = Scenario.named(scenario);
		md.append("## ").append(scenario).append("\n\n").append(describe(definition)).append("\n\n");
		md.append("| server | dialect | delivered/s | ratio | p50 ms | p99 ms | p99 ratio | p99.9 ms | server CPU | ")
			.append("CPU-µs/msg | CPU ratio | generator CPU | server RSS MB |\n")
			.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (String server : servers) {
			Optional<Result> raw = base(results, bases, server, scenario);
			find(results, server, scenario).ifPresent((result) -> md.append("| ")
				.append(labels.getOrDefault(server, server)).append(" | ").append(result.dialect()).append(" | ")
				.append(Charts.format(result.deliveredPerSecond())).append(" | ")
				.append(raw.map((r) -> ratio(result.deliveredPerSecond(), r.deliveredPerSecond())).orElse("-"))
				.append(" | ").append(ms(result.p50Micros())).append(" | ").append(ms(result.p99Micros()))
				.append(" | ").append(raw.map((r) -> ratio(result.p99Micros(), r.p99Micros())).orElse("-"))
				.append(" | ").append(ms(result.p999Micros())).append(" | ")
				.append(String.format(Locale.ROOT, "%.2f", result.serverCpuCores())).append(" | ")
				.append(String.format(Locale.ROOT, "%.2f", result.cpuMicrosPerMessage())).append(" | ")
				.append(raw.map((r) -> ratio(result.cpuMicrosPerMessage(), r.cpuMicrosPerMessage())).orElse("-"))
				.append(" | ").append(String.format(Locale.ROOT, "%.2f", result.generatorCpuCores())).append(" | ")
				.append(result.rssKb() / 1024).append(" |\n"));
		}
		md.append('\n');
	}

	private static void idleTable(StringBuilder md, List<String> idleScenarios, List<Result> results,
			Set<String> servers, Map<String, String> labels, @Nullable String baseline) {
		if (idleScenarios.isEmpty()) {
			return;
		}
		md.append("## Idle connections: memory per connection\n\n");
		md.append("Connections opened (and, for SignalR, negotiated and handshaken) then left idle for 3 s. ")
			.append("JVM servers: growth of the heap used after a full GC (`jcmd <pid> GC.run`, then ")
			.append("`GC.heap_info`), divided by the connections; every server: growth of VmRSS ")
			.append("(`/proc/<pid>/status`) over the same step, which for a JVM also counts heap it merely ")
			.append("touched and direct buffers. The target (8 KB) applies to the first.\n\n");
		md.append("| server | scenario | connections | heap KB/conn | ratio | RSS KB/conn | ratio | server RSS MB |\n")
			.append("|---|---|---|---|---|---|---|---|\n");
		for (String scenario : idleScenarios) {
			Optional<Result> raw = baseline == null ? Optional.empty() : find(results, baseline, scenario);
			for (String server : servers) {
				find(results, server, scenario).ifPresent((result) -> md.append("| ")
					.append(labels.getOrDefault(server, server)).append(" | ").append(scenario).append(" | ")
					.append(result.connections()).append(" | ").append(kb(result.heapPerConnection())).append(" | ")
					.append(raw.map((r) -> ratio(result.heapPerConnection(), r.heapPerConnection())).orElse("-"))
					.append(" | ").append(kb(result.rssPerConnection())).append(" | ")
					.append(raw.map((r) -> ratio(result.rssPerConnection(), r.rssPerConnection())).orElse("-"))
					.append(" | ").append(result.rssKb() / 1024).append(" |\n"));
			}
		}
		md.append('\n');
	}

	private static void redisTable(StringBuilder md, List<Result> results, Map<String, String> labels) {
		List<Result> redis = results.stream()
			.filter((result) -> result.scenario().startsWith("redis-"))
			.toList();
		if (redis.isEmpty()) {
			return;
		}
		md.append("## Two nodes over Redis against one\n\n");
		md.append("broadcast-1000 (one sender on node A): without Redis (from the broadcast-1000 table), one node ")
			.append("with the Redis backplane, and two nodes with the backplane, connections alternating between ")
			.append("them. Server CPU sums both nodes (Redis itself not included); both nodes and Redis share the ")
			.append("server core.\n\n| server | setup | delivered/s | ratio to one node without Redis | p50 ms | ")
			.append("p99 ms | CPU-µs/msg |\n|---|---|---|---|---|---|---|\n");
		for (String server : labels.keySet()) {
			Optional<Result> single = find(results, server, "broadcast-1000");
			for (String scenario : List.of("broadcast-1000", Bench.REDIS_ONE, Bench.REDIS_TWO)) {
				find(results, server, scenario)
					.filter((result) -> redis.stream().anyMatch((r) -> r.server().equals(server)))
					.ifPresent((result) -> md.append("| ").append(labels.get(server)).append(" | ")
						.append(scenario.equals("broadcast-1000") ? "1 node, no Redis"
								: scenario.equals(Bench.REDIS_ONE) ? "1 node + Redis" : "2 nodes + Redis")
						.append(" | ").append(Charts.format(result.deliveredPerSecond())).append(" | ")
						.append(single.map((s) -> ratio(result.deliveredPerSecond(), s.deliveredPerSecond()))
							.orElse("-"))
						.append(" | ").append(ms(result.p50Micros())).append(" | ").append(ms(result.p99Micros()))
						.append(" | ").append(String.format(Locale.ROOT, "%.2f", result.cpuMicrosPerMessage()))
						.append(" |\n"));
			}
		}
		md.append('\n');
	}

	private static String describe(Scenario scenario) {
		switch (scenario.kind()) {
			case ECHO:
				return scenario.connections() + " connections, each keeping " + scenario.window()
						+ " echoes in flight (payload " + scenario.payloadSize() + " chars).";
			case BROADCAST:
				return scenario.connections() + " connections; one sender keeps " + scenario.window()
						+ " broadcasts outstanding (sent minus deliveries/receivers); payload "
						+ scenario.payloadSize() + " chars."
						+ (scenario.paused() > 0 ? " " + scenario.paused() + " connections stop reading (slow "
								+ "consumers); figures are the other connections'; RSS shows what the server held."
								: "");
			case GROUP:
				return scenario.connections() + " connections in " + scenario.groups() + " groups of "
						+ scenario.connections() / scenario.groups() + "; rotating members send to their group, "
						+ scenario.window() + " sends outstanding; payload " + scenario.payloadSize() + " chars.";
			default:
				return "";
		}
	}

	private static void method(StringBuilder md) {
		md.append("## Method\n\n");
		md.append("- The load generator (`benchmarks/loadgen`) runs every connection on one Reactor Netty event-loop ")
			.append("thread, spread over local addresses 127.0.0.1-16. Each message carries the sender's ")
			.append("`System.nanoTime()`; latency is delivery time minus that (same process, same clock), recorded ")
			.append("in an HdrHistogram (µs, 3 digits).\n");
		md.append("- Delivered/s counts messages received by non-paused connections during the measured period.\n");
		md.append("- Server CPU: utime + stime of the server process(es) from `/proc/<pid>/stat` over the measured ")
			.append("period; `server CPU` is that over wall time (1.00 = the whole pinned core, i.e. saturated); ")
			.append("CPU-µs/msg divides it by the delivered messages. `generator CPU` is the same for the load ")
			.append("generator: near 1.00 means the figure is bounded by the generator rather than the server.\n");
		md.append("- Memory: RSS from `/proc/<pid>/status`; heap after a full GC via `jcmd` for JVM servers.\n");
		md.append("- Ratios divide by the raw Reactor Netty server's figure for the same scenario and transport: ")
			.append("WebSocket rows by the raw WebSocket server, SSE and long-polling rows by the raw server's own ")
			.append("SSE and long polling (for latency, CPU and memory, lower is better; for delivered/s, higher ")
			.append("is better). The raw servers write each fan-out with one task per event loop, its channels' ")
			.append("writes and one flush each inside it, and share one serialized message.\n\n");
	}

	/** The figure of {@code server}'s base row (its raw counterpart) for {@code scenario}. */
	static Optional<Result> base(List<Result> results, Map<String, String> bases, String server, String scenario) {
		String base = bases.get(server);
		return (base == null) ? Optional.empty() : find(results, base, scenario);
	}

	static Optional<Result> find(List<Result> results, String server, String scenario) {
		return results.stream()
			.filter((result) -> result.server().equals(server) && result.scenario().equals(scenario))
			.findFirst();
	}

	static String ratio(double value, double base) {
		if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.2f", value / base);
	}

	static String ms(double micros) {
		return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.2f", micros / 1000);
	}

	static String kb(double bytes) {
		return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f", bytes / 1024);
	}

	static String pct(double ratio) {
		return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
	}

	private static String cpuModel() {
		for (String line : read("/proc/cpuinfo").split("\n")) {
			if (line.startsWith("model name")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		return "unknown CPU";
	}

	private static String read(String file) {
		try {
			return Files.readString(Path.of(file)).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String pomProperty(String name) {
		for (Path pom : List.of(Path.of("pom.xml"), Path.of("../pom.xml"), Path.of("../../pom.xml"))) {
			Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<").matcher(read(pom.toString()));
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		return "?";
	}

	private static String git() {
		try {
			Process process = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return process.waitFor() == 0 ? output : "?";
		}
		catch (IOException ex) {
			return "?";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}
}
