package io.github.springsignalr.interop.legacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Counts the lifecycle events of each {@link ChatHub} connection, by connection id, for the tests
 * to read through {@link LegacyTestController}.
 */
@Component
public class LegacyHubEvents {

	private final Map<String, Counts> byConnection = new ConcurrentHashMap<>();

	void connected(String connectionId) {
		counts(connectionId).connected++;
	}

	void reconnected(String connectionId) {
		counts(connectionId).reconnected++;
	}

	void disconnected(String connectionId, boolean stopCalled) {
		Counts counts = counts(connectionId);
		if (stopCalled) {
			counts.stopped++;
		}
		else {
			counts.timedOut++;
		}
	}

	/** The counts of one connection: connected, reconnected, disconnected with stop, disconnected by timeout. */
	public Map<String, Integer> of(String connectionId) {
		Counts counts = counts(connectionId);
		synchronized (counts) {
			Map<String, Integer> view = new LinkedHashMap<>();
			view.put("connected", counts.connected);
			view.put("reconnected", counts.reconnected);
			view.put("disconnectedStopCalled", counts.stopped);
			view.put("disconnectedTimeout", counts.timedOut);
			return view;
		}
	}

	private Counts counts(String connectionId) {
		return this.byConnection.computeIfAbsent(connectionId, (id) -> new Counts());
	}

	/** Event counts of one connection. */
	private static final class Counts {

		volatile int connected;

		volatile int reconnected;

		volatile int stopped;

		volatile int timedOut;
	}
}
