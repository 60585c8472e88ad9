package io.github.springsignalr.autoconfigure;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The default of {@code signalr.maximum-connections}: what the process's open-file limit allows, so that
 * a node refuses new connections with 503 before it runs out of file descriptors (and then refuses them
 * with nothing said). A tenth of the limit, at least 100, is kept for everything else the process opens.
 */
final class OpenFileLimit {

	private OpenFileLimit() {
	}

	/** The default maximum for an open-file limit; {@link Integer#MAX_VALUE} when there is none. */
	static int maximumConnections(long openFileLimit) {
		if (openFileLimit <= 0 || openFileLimit >= Integer.MAX_VALUE) {
			return Integer.MAX_VALUE;
		}
		long reserve = Math.max(100, openFileLimit / 10);
		return (int) Math.max(1, openFileLimit - reserve);
	}

	/** The default maximum for this process; {@link Integer#MAX_VALUE} where the limit cannot be read. */
	static int maximumConnections() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof UnixOperatingSystemMXBean unix) {
			return maximumConnections(unix.getMaxFileDescriptorCount());
		}
		return Integer.MAX_VALUE;
	}

}
