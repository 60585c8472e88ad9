package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few seconds of the real benchmark: the orchestrator starts the raw Reactor Netty server and our SignalR
 * server (the jars the reactor packaged before this module), drives echo and broadcast over real sockets
 * and writes the report. An integration test (failsafe, {@code mvn verify}): it runs after the servers are
 * packaged.
 */
class BenchSmokeIT {

	@Test
	@Timeout(120)
	void harnessDeliversMessagesFromRawNettyAndOurServerAndReportsThem() throws Exception {
		Path bench = Path.of("..").toAbsolutePath().normalize();
		assertThat(bench.resolve("server-netty/target/server-netty.jar")).exists();
		assertThat(bench.resolve("server-signalr/target/server-signalr.jar")).exists();
		Path out = Path.of("target/smoke").toAbsolutePath();
		Bench.run(Map.of("bench-dir", bench.toString(), "out", out.toString(), "servers", "netty,signalr-json",
				"scenarios", "echo-100,broadcast-100", "warmup", "1", "measure", "2", "server-cpu", "none",
				"jvm-flags", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", "command", "BenchSmokeIT"));

		List<Result> results = results(out);
		for (String server : List.of("netty", "signalr-json")) {
			for (String scenario : List.of("echo-100", "broadcast-100")) {
				assertThat(results).as(server + " " + scenario)
					.anySatisfy((result) -> {
						assertThat(result.server()).isEqualTo(server);
						assertThat(result.scenario()).isEqualTo(scenario);
						assertThat(result.openFailures()).isZero();
						assertThat(result.deliveredPerSecond()).isGreaterThan(0);
						assertThat(result.p50Micros()).isGreaterThan(0);
					});
			}
		}
		String report = Files.readString(out.resolve("REPORT.md"));
		assertThat(report).contains("## echo-100", "## broadcast-100", "| raw Reactor Netty | raw |",
				"| ours (SignalR JSON, WebSockets) | signalr-json |");
		assertThat(out.resolve("throughput-ratio.png")).exists();
	}

	@Test
	@Timeout(150)
	void rawHttpTransportsDeliverAndOurSseRowIsMeasuredAgainstThem() throws Exception {
		Path bench = Path.of("..").toAbsolutePath().normalize();
		Path out = Path.of("target/smoke-http").toAbsolutePath();
		Bench.run(Map.of("bench-dir", bench.toString(), "out", out.toString(), "servers",
				"netty-sse,netty-longpolling,signalr-sse", "scenarios", "echo-100,broadcast-100", "warmup", "1",
				"measure", "2", "server-cpu", "none", "jvm-flags", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
				"command", "BenchSmokeIT"));

		List<Result> results = results(out);
		for (String server : List.of("netty-sse", "netty-longpolling", "signalr-sse")) {
			for (String scenario : List.of("echo-100", "broadcast-100")) {
				assertThat(results).as(server + " " + scenario)
					.anySatisfy((result) -> {
						assertThat(result.server()).isEqualTo(server);
						assertThat(result.scenario()).isEqualTo(scenario);
						assertThat(result.openFailures()).isZero();
						assertThat(result.deliveredPerSecond()).isGreaterThan(0);
					});
			}
		}
		String report = Files.readString(out.resolve("REPORT.md"));
		assertThat(report).contains("| raw Reactor Netty (Server-Sent Events) | raw-sse |",
				"| raw Reactor Netty (long polling) | raw-longpolling |",
				"`signalr-sse` echo-100 msgs/s >= 70% of `netty-sse`", "## Summary");
	}

	@Test
	@Timeout(150)
	void rawTomcatDeliversAndOurSpringMvcRowIsMeasuredAgainstIt() throws Exception {
		Path bench = Path.of("..").toAbsolutePath().normalize();
		assertThat(bench.resolve("server-tomcat/target/server-tomcat.jar")).exists();
		assertThat(bench.resolve("server-signalr-servlet/target/server-signalr-servlet.jar")).exists();
		Path out = Path.of("target/smoke-servlet").toAbsolutePath();
		Bench.run(Map.of("bench-dir", bench.toString(), "out", out.toString(), "servers", "tomcat,signalr-servlet",
				"scenarios", "echo-100,broadcast-100", "warmup", "1", "measure", "2", "server-cpu", "none",
				"jvm-flags", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", "command", "BenchSmokeIT"));

		List<Result> results = results(out);
		for (String server : List.of("tomcat", "signalr-servlet")) {
			for (String scenario : List.of("echo-100", "broadcast-100")) {
				assertThat(results).as(server + " " + scenario)
					.anySatisfy((result) -> {
						assertThat(result.server()).isEqualTo(server);
						assertThat(result.scenario()).isEqualTo(scenario);
						assertThat(result.openFailures()).isZero();
						assertThat(result.deliveredPerSecond()).isGreaterThan(0);
					});
			}
		}
		String report = Files.readString(out.resolve("REPORT.md"));
		assertThat(report).contains("| raw Tomcat WebSocket (Jakarta endpoint) | raw |",
				"| ours on Spring MVC (SignalR JSON, WebSockets, Tomcat) | signalr-json |",
				"`signalr-servlet` echo-100 msgs/s >= 70% of `tomcat`");
	}
	/** The rows of a run's results.csv, below its header (which is checked to be one). */
	private static List<Result> results(Path out) throws IOException {
		List<String> lines = Files.readAllLines(out.resolve("results.csv"));
		assertThat(lines).isNotEmpty();
		assertThat(lines.get(0)).startsWith("server,dialect,scenario,");
		return lines.subList(1, lines.size()).stream().map(Result::parse).toList();
	}

}
