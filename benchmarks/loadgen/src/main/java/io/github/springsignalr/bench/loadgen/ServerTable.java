package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * The servers of the comparison, read from {@code benchmarks/servers.properties} and, when present,
 * {@code benchmarks/peers/servers.properties}. Each row is a set of {@code <name>.<key>} properties; see
 * {@code benchmarks/README.md}.
 */
final class ServerTable {

	/**
	 * One server as the load generator drives it.
	 *
	 * @param name the row's name
	 * @param label the report's label
	 * @param launch the command line, with ${JAVA} ${JVM_FLAGS} ${PORT} ${BENCH} placeholders
	 * @param redisLaunch the command line in Redis mode (${REDIS_URL} too), or null
	 * @param dialect the dialect's name
	 * @param path the endpoint path the dialect uses
	 * @param scenarios the scenarios it runs ("all" or names)
	 * @param requires a file (relative to benchmarks/) that must exist, or null
	 * @param baseline whether this is the raw Reactor Netty server the ratios divide by
	 * @param compare the row this row's ratios divide by instead of the baseline (its raw transport), or null
	 * @param jvm whether the process is a JVM (heap measured with jcmd)
	 * @param javaMin the least Java feature release the row wants for ${JAVA} (0: the generator's own java)
	 * @param order sort key
	 */
	record Row(String name, String label, String launch, @Nullable String redisLaunch, String dialect, String path,
			Set<String> scenarios, @Nullable String requires, boolean baseline, @Nullable String compare, boolean jvm,
			int javaMin, int order) {

		boolean runs(String scenario) {
			return scenarios.contains("all") || scenarios.contains(scenario);
		}
	}

	private ServerTable() {
	}

	static List<Row> load(Path benchDir) throws IOException {
		Properties properties = new Properties();
		for (Path file : List.of(benchDir.resolve("servers.properties"),
				benchDir.resolve("peers/servers.properties"))) {
			if (Files.isRegularFile(file)) {
				try (Reader reader = Files.newBufferedReader(file)) {
					properties.load(reader);
				}
			}
		}
		Set<String> names = new TreeSet<>();
		for (String key : properties.stringPropertyNames()) {
			if (key.endsWith(".launch") && !key.endsWith(".redis.launch")) {
				names.add(key.substring(0, key.length() - ".launch".length()));
			}
		}
		List<Row> rows = new ArrayList<>();
		for (String name : names) {
			String launch = properties.getProperty(name + ".launch").trim();
			String jvm = properties.getProperty(name + ".jvm");
			rows.add(new Row(name, properties.getProperty(name + ".label", name), launch,
					properties.getProperty(name + ".redis.launch"),
					properties.getProperty(name + ".dialect", "signalr-json"),
					properties.getProperty(name + ".path", "/bench"),
					new TreeSet<>(Arrays.asList(properties.getProperty(name + ".scenarios", "all").split("\\s*,\\s*"))),
					properties.getProperty(name + ".requires"),
					Boolean.parseBoolean(properties.getProperty(name + ".baseline", "false")),
					properties.getProperty(name + ".compare"),
					jvm != null ? Boolean.parseBoolean(jvm) : launch.startsWith("${JAVA}"),
					Integer.parseInt(properties.getProperty(name + ".java.min", "0").trim()),
					Integer.parseInt(properties.getProperty(name + ".order", "100"))));
		}
		rows.sort(Comparator.comparingInt(Row::order).thenComparing(Row::name));
		return rows;
	}
}
