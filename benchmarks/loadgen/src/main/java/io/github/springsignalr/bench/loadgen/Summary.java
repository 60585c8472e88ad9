package io.github.springsignalr.bench.loadgen;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report's summary: every server against every load scenario in one table, each cell the delivered
 * messages/s with its ratio to the row's raw counterpart (its {@code compare} row, else raw Reactor Netty), the
 * p99 latency and the server CPU per message.
 */
final class Summary {

	private Summary() {
	}

	static void write(StringBuilder md, List<Result> results, Set<String> servers, List<String> scenarios,
			Map<String, String> labels, Map<String, String> bases) {
		if (scenarios.isEmpty()) {
			return;
		}
		md.append("## Summary\n\nEach cell: delivered msgs/s (ratio to the raw server of the same transport and stack: ")
			.append("raw Reactor Netty, its HTTP transports, or raw Tomcat WebSocket for the Spring MVC row), ")
			.append("p99 latency, server CPU per delivered message.\n\n| server |");
		for (String scenario : scenarios) {
			md.append(' ').append(scenario).append(" |");
		}
		md.append("\n|---|").append("---|".repeat(scenarios.size())).append('\n');
		for (String server : servers) {
			md.append("| ").append(labels.getOrDefault(server, server)).append(" |");
			for (String scenario : scenarios) {
				Optional<Result> result = Report.find(results, server, scenario);
				if (result.isEmpty()) {
					md.append(" |");
					continue;
				}
				Result r = result.get();
				md.append(' ').append(Charts.format(r.deliveredPerSecond()));
				Report.base(results, bases, server, scenario)
					.filter((raw) -> !raw.server().equals(server))
					.ifPresent((raw) -> md.append(" (")
						.append(Report.ratio(r.deliveredPerSecond(), raw.deliveredPerSecond())).append(')'));
				md.append(", p99 ").append(Report.ms(r.p99Micros())).append(" ms, ")
					.append(String.format(Locale.ROOT, "%.1f", r.cpuMicrosPerMessage())).append(" µs |");
			}
			md.append('\n');
		}
		md.append('\n');
	}
}
