package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import io.github.springsignalr.bench.loadgen.dialect.Dialects;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's orchestrator: starts each registered server pinned to its own core, runs every scenario it
 * supports from this (single-threaded) load generator, appends the figures to {@code results.csv} and writes
 * {@code REPORT.md} with charts. Options:
 * <pre>
 * --quick                 short warm-up and measurement (4 s + 4 s)
 * --warmup=S --measure=S  seconds (default 5 + 10)
 * --server-warmup=S        added to the warm-up of each server's first scenario, for its JIT (default 10); of
 *                          every scenario for the HTTP transports (Server-Sent Events, long polling)
 * --servers=a,b           only these rows of servers.properties
 * --scenarios=x,y         only these scenarios (names of Scenario.all(), redis-1node, redis-2nodes)
 * --bench-dir=DIR         the benchmarks directory (default: ./benchmarks or .)
 * --out=DIR               where results.csv, REPORT.md and the charts go (default BENCH/report)
 * --server-cpu=N          core the servers are pinned to (default 1; "none" disables pinning)
 * --jvm-flags="..."       flags of every Java server (default -Xms1g -Xmx1g -XX:+UseG1GC)
 * --command="..."         the command line to print in the report
 * </pre>
 */
public final class Bench {

	static final String DEFAULT_JVM_FLAGS = "-Xms1g -Xmx1g -XX:+UseG1GC";

	/** The names of the two-node scenarios (our server with its Redis backplane). */
	static final String REDIS_ONE = "redis-1node";

	static final String REDIS_TWO = "redis-2nodes";

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				int eq = arg.indexOf('=');
				options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
			}
		}
		Path out = run(options);
		System.out.println("report: " + out.resolve("REPORT.md"));
		System.exit(0);
	}

	/** Runs the benchmark with {@code options} and returns the output directory. */
	public static Path run(Map<String, String> options) throws Exception {
		boolean quick = options.containsKey("quick");
		Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", quick ? "4" : "5")));
		Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", quick ? "4" : "10")));
		// the first scenario of every server also warms up its JIT: a longer warm-up, the same for every server
		Duration serverWarmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("server-warmup",
				quick ? "2" : "10")));
		Path benchDir = Path.of(options.getOrDefault("bench-dir",
				Files.isDirectory(Path.of("benchmarks")) ? "benchmarks" : ".")).toAbsolutePath().normalize();
		Path out = Path.of(options.getOrDefault("out", benchDir.resolve("report").toString())).toAbsolutePath();
		String cpuOption = options.getOrDefault("server-cpu", "1");
		String cpu = "none".equals(cpuOption) || Runtime.getRuntime().availableProcessors() < 1 ? null : cpuOption;
		String jvmFlags = options.getOrDefault("jvm-flags", DEFAULT_JVM_FLAGS);
		Predicate<String> serverFilter = filter(options.get("servers"));
		Predicate<String> scenarioFilter = filter(options.get("scenarios"));
		Files.createDirectories(out);
		Path csv = out.resolve("results.csv");
		Files.writeString(csv, Result.CSV_HEADER + "\n", StandardCharsets.UTF_8);
		List<ServerTable.Row> rows = new ArrayList<>();
		List<String> skipped = new ArrayList<>();
		for (ServerTable.Row row : ServerTable.load(benchDir)) {
			if (!serverFilter.test(row.name())) {
				continue;
			}
			if (row.requires() != null && !Files.exists(benchDir.resolve(row.requires()))) {
				skipped.add(row.name() + " (missing " + row.requires() + ")");
				continue;
			}
			rows.add(row);
		}
		Map<String, String> commands = new LinkedHashMap<>();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		try (LoadGenerator generator = new LoadGenerator(16, warmup, measure)) {
			for (ServerTable.Row row : rows) {
				List<Scenario> scenarios = Scenario.all().stream()
					.filter((scenario) -> row.runs(scenario.name()) && scenarioFilter.test(scenario.name())
							&& runnable(scenario))
					.toList();
				if (scenarios.isEmpty()) {
					continue;
				}
				try (ServerProcess server = startWithRetry(row, Jdks.java(row.javaMin(), java), jvmFlags, benchDir, cpu,
						out.resolve("logs/" + row.name() + ".log"))) {
					commands.put(row.name(), String.join(" ", server.command));
					Thread.sleep(1000);
					Duration first = warmup.plus(serverWarmup);
					// an HTTP transport's request path is a lot of code for the JIT (each POST a request): its
					// compiler threads still took 26-52 % of the server's CPU in the first scenario, and again
					// when the next one changed the load; those rows (raw baselines too) warm up every scenario
					boolean http = httpTransport(row.dialect());
					for (Scenario scenario : scenarios) {
						Result result = runOne(generator, row, scenario, List.of(server), first);
						append(csv, result);
						first = http ? warmup.plus(serverWarmup) : warmup;
					}
				}
				catch (IOException ex) {
					skipped.add(row.name() + " (" + ex.getMessage() + ")");
				}
			}
			for (ServerTable.Row row : rows) {
				if (row.redisLaunch() != null && (scenarioFilter.test(REDIS_ONE) || scenarioFilter.test(REDIS_TWO))) {
					runRedis(generator, row, java, jvmFlags, benchDir, cpu, out, csv, commands, scenarioFilter,
							warmup.plus(serverWarmup));
				}
			}
		}
		List<Result> results = new ArrayList<>();
		List<String> lines = Files.readAllLines(csv);
		for (String line : lines.subList(1, lines.size())) {
			results.add(Result.parse(line));
		}
		Report.write(out, results, rows, commands, skipped, new Report.Setup(
				options.getOrDefault("command", "benchmarks/run.sh"), jvmFlags, cpu, warmup, serverWarmup, measure,
				quick));
		return out;
	}

	/** Descriptors kept free beside the connections: the JVM's own files, sockets and pipes. */
	static final int SPARE_FILES = 1024;

	/** Whether this machine's open-files limit lets the generator (and the server it starts) open the scenario. */
	static boolean runnable(Scenario scenario) {
		return scenario.connections() + SPARE_FILES <= openFileLimit();
	}

	/** The soft open-files limit of this process (inherited by the servers it starts), from /proc/self/limits. */
	static long openFileLimit() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
				if (line.startsWith("Max open files")) {
					String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
					return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: assume enough
		}
		return Long.MAX_VALUE;
	}

	private static Result runOne(LoadGenerator generator, ServerTable.Row row, Scenario scenario,
			List<ServerProcess> servers, Duration warmup) {
		System.out.println("   " + scenario.name() + " ...");
		List<LoadGenerator.Target> targets = new ArrayList<>();
		List<Long> pids = new ArrayList<>();
		for (ServerProcess server : servers) {
			targets.add(new LoadGenerator.Target("127.0.0.1", server.port));
			pids.add(server.pid());
		}
		Dialect dialect = Dialects.create(row.dialect(), row.path());
		try {
			Result result = generator.run(row.name(), dialect, scenario, targets, pids, row.jvm(), warmup);
			System.out.println("   " + result.csv());
			return result;
		}
		catch (RuntimeException ex) {
			System.out.println("   failed: " + ex);
			return new Result(row.name(), dialect.name(), scenario.name(), 0, scenario.connections(), Double.NaN,
					Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, Double.NaN,
					Double.NaN, "failed: " + ex);
		}
	}

	private static void runRedis(LoadGenerator generator, ServerTable.Row row, String java, String jvmFlags,
			Path benchDir, @Nullable String cpu, Path out, Path csv, Map<String, String> commands,
			Predicate<String> scenarioFilter, Duration warmup) throws Exception {
		int redisPort = freePort();
		List<String> redisCommand = List.of("redis-server", "--port", Integer.toString(redisPort), "--save", "",
				"--appendonly", "no", "--bind", "127.0.0.1");
		List<String> pinnedRedis = new ArrayList<>();
		if (cpu != null) {
			pinnedRedis.addAll(List.of("taskset", "-c", cpu));
		}
		pinnedRedis.addAll(redisCommand);
		Files.createDirectories(out.resolve("logs"));
		Process redis = new ProcessBuilder(pinnedRedis).redirectErrorStream(true)
			.redirectOutput(out.resolve("logs/redis.log").toFile())
			.start();
		commands.put("redis", String.join(" ", pinnedRedis));
		try {
			Thread.sleep(500);
			String redisUrl = "redis://127.0.0.1:" + redisPort;
			String launch = java.isEmpty() || row.redisLaunch() == null ? "" : row.redisLaunch();
			String rowJava = Jdks.java(row.javaMin(), java);
			List<String> command = ServerProcess.command(launch, values(rowJava, jvmFlags, benchDir, redisUrl));
			List<String> secondCommand = ServerProcess.command(launch, values(rowJava, jvmFlags, benchDir, redisUrl));
			commands.put(row.name() + " (Redis mode)", String.join(" ", command));
			Scenario broadcast = Scenario.named("broadcast-1000");
			System.out.println("== " + row.name() + " over Redis");
			try (ServerProcess first = ServerProcess.start(command, cpu, out.resolve("logs/" + row.name() + "-a.log"),
					Duration.ofSeconds(120))) {
				Thread.sleep(1000);
				if (scenarioFilter.test(REDIS_ONE)) {
					Result one = runOne(generator, row, broadcast, List.of(first), warmup);
					append(csv, rename(one, REDIS_ONE));
				}
				if (scenarioFilter.test(REDIS_TWO)) {
					try (ServerProcess second = ServerProcess.start(secondCommand, cpu,
							out.resolve("logs/" + row.name() + "-b.log"), Duration.ofSeconds(120))) {
						Thread.sleep(1000);
						Result two = runOne(generator, row, broadcast, List.of(first, second), warmup);
						append(csv, rename(two, REDIS_TWO));
					}
				}
			}
		}
		finally {
			redis.destroy();
			redis.waitFor();
		}
	}

	private static Result rename(Result result, String scenario) {
		return new Result(result.server(), result.dialect(), scenario, result.connections(), result.openFailures(),
				result.deliveredPerSecond(), result.p50Micros(), result.p99Micros(), result.p999Micros(),
				result.serverCpuCores(), result.cpuMicrosPerMessage(), result.generatorCpuCores(), result.rssKb(),
				result.rssPerConnection(), result.heapPerConnection(), result.note());
	}

	private static Map<String, String> values(String java, String jvmFlags, Path benchDir, @Nullable String redis)
			throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("JAVA", java);
		values.put("JVM_FLAGS", jvmFlags);
		values.put("BENCH", benchDir.toString());
		values.put("PORT", Integer.toString(freePort()));
		if (redis != null) {
			values.put("REDIS_URL", redis);
		}
		return values;
	}

	/**
	 * Starts a row's server on a free port; the port is picked before the server binds it, so another
	 * process may take it first: then the server is started again on another port (three attempts).
	 */
	private static ServerProcess startWithRetry(ServerTable.Row row, String java, String jvmFlags, Path benchDir,
			@Nullable String cpu, Path log) throws IOException {
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			List<String> command = ServerProcess.command(row.launch(), values(java, jvmFlags, benchDir, null));
			System.out.println("== " + row.name() + ": " + String.join(" ", command));
			try {
				return ServerProcess.start(command, cpu, log, Duration.ofSeconds(120));
			}
			catch (IOException ex) {
				failure = ex;
			}
		}
		throw failure;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void append(Path csv, Result result) throws IOException {
		Files.writeString(csv, result.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
	}

	private static Predicate<String> filter(@Nullable String list) {
		if (list == null || list.isBlank()) {
			return (name) -> true;
		}
		Set<String> names = new TreeSet<>(List.of(list.split("\\s*,\\s*")));
		return names::contains;
	}

	/** Whether a row's dialect is an HTTP transport (Server-Sent Events or long polling), ours or raw. */
	static boolean httpTransport(String dialect) {
		return dialect.endsWith("-sse") || dialect.endsWith("-longpolling");
	}
}
