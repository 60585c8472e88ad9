package io.github.springsignalr.bench.loadgen;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The report's targets (issues 8, 16, 17 and 20), each row's figure against the raw server of its own transport:
 * WebSocket rows against raw Reactor Netty's WebSocket server, SSE and long-polling rows against the same raw
 * server's HTTP transports (their {@code compare} row), the Spring MVC row against raw Tomcat WebSocket (its
 * {@code compare} row) and Spring STOMP on Tomcat.
 */
final class Targets {

	/** WebSockets (issue 20): broadcast-1000 and broadcast-10000 at 0.90 of raw Netty or better. */
	private static final double BROADCAST = 0.9;

	/** WebSockets (issue 20): echo-100 and echo-1000 at 0.85 or better. */
	private static final double ECHO = 0.85;

	/** WebSockets (issue 20): p99 at echo-1000 at most 1.2 times raw Netty's. */
	private static final double ECHO_P99 = 1.2;

	/** WebSockets (issue 20): idle heap per connection at most 1.15 times raw Netty's. */
	private static final double IDLE_RATIO = 1.15;

	/** WebSockets (issue 8): at most 8 KB of heap per idle connection. */
	static final double IDLE_BYTES = 8 * 1024;

	/** SSE and long polling (issue 20): echo at 0.70 of the raw HTTP-transport server or better. */
	private static final double HTTP_ECHO = 0.7;

	/** SSE (issue 20): broadcast-1000 at 0.80 of the raw HTTP-transport server or better. */
	private static final double SSE_BROADCAST = 0.8;

	/** The row of the classic ASP.NET SignalR 2 dialect, measured against {@code signalr-json}. */
	private static final String LEGACY = "signalr-legacy";

	private static final double LEGACY_TARGET = 0.7;

	/** Our starter on Spring MVC and Tomcat (issue 17), measured against its {@code compare} row, raw Tomcat. */
	private static final String SERVLET = "signalr-servlet";

	/** Issue 17: echo and broadcast-1000 at 0.70 of raw Tomcat WebSocket or better. */
	private static final double SERVLET_TARGET = 0.7;

	/** Issue 17: the servlet row ahead of Spring STOMP on Tomcat in every scenario both run. */
	private static final String STOMP = "stomp";

	private Targets() {
	}

	static void write(StringBuilder md, List<Result> results, List<ServerTable.Row> rows, @Nullable String baseline) {
		md.append("## Targets (issues 8, 16, 17 and 20)\n\n| target | figure | met |\n|---|---|---|\n");
		for (ServerTable.Row row : rows) {
			String server = row.name();
			if (!server.startsWith("signalr-") || row.baseline()) {
				continue;
			}
			if (server.equals(LEGACY)) {
				legacy(md, results);
				continue;
			}
			String base = (row.compare() != null) ? row.compare() : baseline;
			if (server.equals(SERVLET)) {
				servlet(md, results, base);
				continue;
			}
			if (base == null) {
				continue;
			}
			if (row.compare() != null) {
				ratio(md, results, server, base, "echo-100", HTTP_ECHO);
				ratio(md, results, server, base, "echo-1000", HTTP_ECHO);
				if (row.dialect().endsWith("-sse")) {
					ratio(md, results, server, base, "broadcast-1000", SSE_BROADCAST);
				}
				continue;
			}
			ratio(md, results, server, base, "broadcast-1000", BROADCAST);
			ratio(md, results, server, base, "broadcast-10000", BROADCAST);
			ratio(md, results, server, base, "echo-100", ECHO);
			ratio(md, results, server, base, "echo-1000", ECHO);
			p99(md, results, server, base, "echo-1000");
			for (String idle : List.of("idle-1000", "idle-10000")) {
				idle(md, results, server, base, idle);
			}
		}
		md.append('\n');
	}

	private static void ratio(StringBuilder md, List<Result> results, String server, String base, String scenario,
			double target) {
		Optional<Result> ours = Report.find(results, server, scenario);
		Optional<Result> raw = Report.find(results, base, scenario);
		if (ours.isEmpty() || raw.isEmpty()) {
			return;
		}
		double ratio = ours.get().deliveredPerSecond() / raw.get().deliveredPerSecond();
		md.append("| `").append(server).append("` ").append(scenario).append(" msgs/s >= ").append(Report.pct(target))
			.append(" of `").append(base).append("` | ").append(Report.pct(ratio)).append(" | ")
			.append(ratio >= target ? "yes" : "**no** (" + Report.pct(target - ratio) + " short)").append(" |\n");
	}

	private static void p99(StringBuilder md, List<Result> results, String server, String base, String scenario) {
		Optional<Result> ours = Report.find(results, server, scenario);
		Optional<Result> raw = Report.find(results, base, scenario);
		if (ours.isEmpty() || raw.isEmpty()) {
			return;
		}
		double ratio = ours.get().p99Micros() / raw.get().p99Micros();
		md.append("| `").append(server).append("` ").append(scenario).append(" p99 <= ")
			.append(String.format(java.util.Locale.ROOT, "%.1fx", ECHO_P99)).append(" `").append(base).append("`'s | ")
			.append(Report.ms(ours.get().p99Micros())).append(" ms against ").append(Report.ms(raw.get().p99Micros()))
			.append(" ms (").append(String.format(java.util.Locale.ROOT, "%.2fx", ratio)).append(") | ")
			.append(ratio <= ECHO_P99 ? "yes" : "**no**").append(" |\n");
	}

	private static void idle(StringBuilder md, List<Result> results, String server, String base, String scenario) {
		Optional<Result> ours = Report.find(results, server, scenario);
		if (ours.isEmpty()) {
			return;
		}
		Result result = ours.get();
		double bytes = Double.isNaN(result.heapPerConnection()) ? result.rssPerConnection()
				: result.heapPerConnection();
		md.append("| `").append(server).append("` ").append(scenario).append(" <= 8 KB/connection | ")
			.append(Report.kb(bytes)).append(" KB (heap after GC; RSS ").append(Report.kb(result.rssPerConnection()))
			.append(" KB) | ").append(bytes <= IDLE_BYTES ? "yes" : "**no**").append(" |\n");
		Report.find(results, base, scenario).ifPresent((raw) -> {
			double ratio = result.heapPerConnection() / raw.heapPerConnection();
			md.append("| `").append(server).append("` ").append(scenario).append(" heap/connection <= ")
				.append(String.format(java.util.Locale.ROOT, "%.2fx", IDLE_RATIO)).append(" `").append(base)
				.append("`'s | ").append(Report.kb(result.heapPerConnection())).append(" KB against ")
				.append(Report.kb(raw.heapPerConnection())).append(" KB (")
				.append(String.format(java.util.Locale.ROOT, "%.2fx", ratio)).append(") | ")
				.append(ratio <= IDLE_RATIO ? "yes" : "**no**").append(" |\n");
		});
	}

	/** Issue 17: Spring MVC against raw Tomcat (echo, broadcast-1000) and ahead of Spring STOMP everywhere. */
	private static void servlet(StringBuilder md, List<Result> results, @Nullable String tomcat) {
		if (tomcat != null) {
			for (String scenario : List.of("echo-100", "echo-1000", "broadcast-1000")) {
				ratio(md, results, SERVLET, tomcat, scenario, SERVLET_TARGET);
			}
		}
		for (Scenario scenario : Scenario.all()) {
			if (scenario.kind() == Scenario.Kind.IDLE) {
				continue;
			}
			Optional<Result> ours = Report.find(results, SERVLET, scenario.name());
			Optional<Result> stomp = Report.find(results, STOMP, scenario.name());
			if (ours.isEmpty() || stomp.isEmpty()) {
				continue;
			}
			double ratio = ours.get().deliveredPerSecond() / stomp.get().deliveredPerSecond();
			md.append("| `").append(SERVLET).append("` ").append(scenario.name()).append(" msgs/s ahead of `")
				.append(STOMP).append("` (issue 17) | ").append(Charts.format(ours.get().deliveredPerSecond()))
				.append(" against ").append(Charts.format(stomp.get().deliveredPerSecond())).append(" (")
				.append(String.format(java.util.Locale.ROOT, "%.2fx", ratio)).append(") | ")
				.append(ratio > 1 ? "yes" : "**no**").append(" |\n");
		}
	}

	/** Issue 16: classic ASP.NET SignalR 2 over WebSockets, broadcast-1000 against our modern JSON figure. */
	private static void legacy(StringBuilder md, List<Result> results) {
		Optional<Result> legacy = Report.find(results, LEGACY, "broadcast-1000");
		Optional<Result> modern = Report.find(results, "signalr-json", "broadcast-1000");
		if (legacy.isEmpty() || modern.isEmpty()) {
			return;
		}
		double ratio = legacy.get().deliveredPerSecond() / modern.get().deliveredPerSecond();
		md.append("| `").append(LEGACY).append("` broadcast-1000 >= ").append(Report.pct(LEGACY_TARGET))
			.append(" of `signalr-json` (issue 16) | ").append(Report.pct(ratio)).append(" | ")
			.append(ratio >= LEGACY_TARGET ? "yes" : "**no** (" + Report.pct(LEGACY_TARGET - ratio) + " short)")
			.append(" |\n");
	}
}
