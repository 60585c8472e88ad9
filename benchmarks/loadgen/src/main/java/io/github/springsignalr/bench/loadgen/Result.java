package io.github.springsignalr.bench.loadgen;

import java.util.Locale;

/**
 * The figures of one scenario against one server.
 *
 * @param server the server row's name
 * @param dialect the dialect's name
 * @param scenario the scenario's name
 * @param connections connections open during the measurement
 * @param openFailures connections that could not be opened
 * @param deliveredPerSecond messages delivered to (non-paused) connections per second
 * @param p50Micros median latency, send to delivery
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param serverCpuCores server CPU time over wall time during the measurement
 * @param cpuMicrosPerMessage server CPU microseconds per delivered message
 * @param generatorCpuCores the load generator's CPU time over wall time
 * @param rssKb server resident memory at the end of the measurement (summed over nodes)
 * @param rssPerConnection idle: RSS growth per connection in bytes
 * @param heapPerConnection idle: JVM heap-after-GC growth per connection in bytes (-1 if not a JVM)
 * @param note anything unusual
 */
public record Result(String server, String dialect, String scenario, int connections, int openFailures,
		double deliveredPerSecond, double p50Micros, double p99Micros, double p999Micros, double serverCpuCores,
		double cpuMicrosPerMessage, double generatorCpuCores, long rssKb, double rssPerConnection,
		double heapPerConnection, String note) {

	static final String CSV_HEADER = "server,dialect,scenario,connections,openFailures,deliveredPerSecond,p50Micros,"
			+ "p99Micros,p999Micros,serverCpuCores,cpuMicrosPerMessage,generatorCpuCores,rssKb,rssPerConnection,"
			+ "heapPerConnection,note";

	String csv() {
		return String.join(",", server, dialect, scenario, Integer.toString(connections),
				Integer.toString(openFailures), f(deliveredPerSecond), f(p50Micros), f(p99Micros), f(p999Micros),
				f(serverCpuCores), f(cpuMicrosPerMessage), f(generatorCpuCores), Long.toString(rssKb),
				f(rssPerConnection), f(heapPerConnection), note.replace(',', ';').replace('\n', ' '));
	}

	static Result parse(String line) {
		String[] f = line.split(",", -1);
		return new Result(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), d(f[5]), d(f[6]),
				d(f[7]), d(f[8]), d(f[9]), d(f[10]), d(f[11]), Long.parseLong(f[12]), d(f[13]), d(f[14]), f[15]);
	}

	private static String f(double value) {
		return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
	}

	private static double d(String value) {
		return Double.parseDouble(value);
	}
}
