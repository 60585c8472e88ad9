package io.github.springsignalr.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients' failures, sorted into those the Redis outage excuses (from Redis going down until the
 * recovery time after it is back) and the others, each kind counted once with its times.
 */
final class ClientFailures {

	private final long outageStart;

	private final long excusedUntil;

	private final Map<String, List<Long>> excused = new TreeMap<>();

	private final Map<String, List<Long>> unexcused = new TreeMap<>();

	/** Times are epoch milliseconds, as the clients record them. */
	ClientFailures(long outageStart, long outageEnd, long recoveryMillis) {
		this.outageStart = outageStart;
		this.excusedUntil = outageEnd + recoveryMillis;
	}

	void add(long at, String failure) {
		boolean excusedByOutage = at >= this.outageStart && at <= this.excusedUntil;
		(excusedByOutage ? this.excused : this.unexcused).computeIfAbsent(failure, (key) -> new ArrayList<>())
			.add(at - this.outageStart);
	}

	int excusedCount() {
		return count(this.excused);
	}

	int unexcusedCount() {
		return count(this.unexcused);
	}

	/** Each kind of excused failure with its count and times. */
	List<String> excused() {
		return describe(this.excused);
	}

	/** Each kind of failure the outage does not excuse with its count and times. */
	List<String> unexcused() {
		return describe(this.unexcused);
	}

	private static int count(Map<String, List<Long>> failures) {
		return failures.values().stream().mapToInt(List::size).sum();
	}

	private static List<String> describe(Map<String, List<Long>> failures) {
		return failures.entrySet().stream()
			.map((entry) -> entry.getValue().size() + " x, " + entry.getValue().get(0) + ".."
					+ entry.getValue().get(entry.getValue().size() - 1) + " ms from Redis going down: " + entry.getKey())
			.toList();
	}

}
