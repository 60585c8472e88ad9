package io.github.springsignalr.autoconfigure.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.github.springsignalr.actuate.SignalREndpoint.MessageCounts;
import io.github.springsignalr.actuate.SignalREndpoint.MessageTotals;

/**
 * The message totals of the {@code signalr} endpoint, summed from the {@code signalr.server.messages.*}
 * counters of a hub over its transports and protocols.
 */
final class MeterRegistryMessageCounts implements MessageCounts {

	private final MeterRegistry registry;

	MeterRegistryMessageCounts(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public MessageTotals totals(String hub) {
		return new MessageTotals(sum("signalr.server.messages.received", hub), sum("signalr.server.messages.sent", hub),
				sum("signalr.server.messages.received.bytes", hub), sum("signalr.server.messages.sent.bytes", hub));
	}

	private long sum(String name, String hub) {
		double total = 0;
		for (Counter counter : this.registry.find(name).tag("signalr.hub", hub).counters()) {
			total += counter.count();
		}
		return Math.round(total);
	}
}
