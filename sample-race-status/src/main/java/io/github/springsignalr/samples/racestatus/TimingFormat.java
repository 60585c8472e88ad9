package io.github.springsignalr.samples.racestatus;

import java.util.Locale;

/** Times as RedMist formats them. */
final class TimingFormat {

	private TimingFormat() {
	}

	/** "HH:mm:ss.fff", the format of best, last and total times. */
	static String time(long ms) {
		if (ms <= 0) {
			return "";
		}
		return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60,
				ms % 1000);
	}

	/** "HH:mm:ss", the format of the session clocks. */
	static String clock(long ms) {
		long seconds = Math.max(0, ms) / 1000;
		return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
	}

	/** "m:ss.fff", the format of in-car lap times. */
	static String lap(long ms) {
		if (ms <= 0) {
			return "";
		}
		return String.format(Locale.ROOT, "%d:%02d.%03d", ms / 60_000, (ms / 1000) % 60, ms % 1000);
	}

	/** A gap: "s.fff" under a minute, "m:ss.fff" above. */
	static String gap(long ms) {
		if (ms < 60_000) {
			return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
		}
		return lap(ms);
	}

	/** "1 lap", "3 laps". */
	static String laps(int laps) {
		return (laps == 1) ? "1 lap" : laps + " laps";
	}

	/** A signed difference in seconds: "+0.412", "-1.020". */
	static String signed(long ms) {
		return ((ms < 0) ? "-" : "+") + gap(Math.abs(ms));
	}
}
