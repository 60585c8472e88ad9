package io.github.springsignalr.bench.loadgen;

import java.util.List;

/**
 * One benchmark scenario, after aspnet/Benchmarks' SignalR scenarios.
 *
 * @param name the report's name
 * @param kind what the connections do
 * @param connections how many connections are open
 * @param window echo: invocations in flight per connection; broadcast: broadcasts outstanding; group: group
 * sends outstanding
 * @param groups group scenario: how many groups the connections are spread over
 * @param paused broadcast: how many connections stop reading (slow consumers)
 * @param payloadSize characters of payload per message
 */
public record Scenario(String name, Kind kind, int connections, int window, int groups, int paused,
		int payloadSize) {

	/** What the connections of a scenario do. */
	public enum Kind {
		/** Each connection keeps {@code window} echoes in flight. */
		ECHO,
		/** One sender keeps {@code window} broadcasts outstanding (sent minus deliveries / receivers). */
		BROADCAST,
		/** Connections join {@code groups} groups; sends to rotating groups, {@code window} outstanding. */
		GROUP,
		/** Connections stay open doing nothing: memory per connection. */
		IDLE
	}

	/** Every scenario of the full run, in order. */
	public static List<Scenario> all() {
		return List.of(
				new Scenario("echo-100", Kind.ECHO, 100, 2, 0, 0, 32),
				new Scenario("echo-1000", Kind.ECHO, 1000, 2, 0, 0, 32),
				new Scenario("broadcast-100", Kind.BROADCAST, 100, 8, 0, 0, 32),
				new Scenario("broadcast-1000", Kind.BROADCAST, 1000, 4, 0, 0, 32),
				new Scenario("broadcast-10000", Kind.BROADCAST, 10000, 2, 0, 0, 32),
				new Scenario("group-10000", Kind.GROUP, 10000, 400, 1000, 0, 32),
				new Scenario("slow-consumer-1000", Kind.BROADCAST, 1000, 4, 0, 10, 512),
				new Scenario("idle-1000", Kind.IDLE, 1000, 0, 0, 0, 0),
				new Scenario("idle-10000", Kind.IDLE, 10000, 0, 0, 0, 0),
				// run only where the open-files limit allows it (Bench.runnable)
				new Scenario("idle-50000", Kind.IDLE, 50000, 0, 0, 0, 0));
	}

	/** The scenario named {@code name}. */
	public static Scenario named(String name) {
		return all().stream()
			.filter((scenario) -> scenario.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name));
	}
}
