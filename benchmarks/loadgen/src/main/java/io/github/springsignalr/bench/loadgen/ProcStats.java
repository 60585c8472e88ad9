package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's CPU time and memory from {@code /proc}, and a JVM's heap after a full GC with {@code jcmd}.
 */
final class ProcStats {

	/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every Linux we run on). */
	static final long TICKS_PER_SECOND = 100;

	private static final Pattern HEAP_USED = Pattern.compile(
			"heap\\s+total (?:reserved )?(\\d+)K, (?:committed \\d+K, )?used (\\d+)K");

	private ProcStats() {
	}

	/** utime + stime of {@code pid} (all its threads) in microseconds, or -1 if unreadable. */
	static long cpuMicros(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
			// the command name in parentheses may contain spaces: fields count from after its ')'
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1_000_000 / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	static long cpuMicros(List<Long> pids) {
		long total = 0;
		for (long pid : pids) {
			total += Math.max(0, cpuMicros(pid));
		}
		return total;
	}

	/** Resident set size in KiB (VmRSS of /proc/<pid>/status), or -1. */
	static long rssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// gone
		}
		return -1;
	}

	/** Runs a full GC in the JVM {@code pid} and returns the used heap in KiB afterwards, or -1. */
	static long heapAfterGcKb(long pid) {
		try {
			jcmd(pid, "GC.run");
			Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
			return used.find() ? Long.parseLong(used.group(2)) : -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * Writes the JVM's class histogram (live objects, after a full GC) to {@code file}: what an idle
	 * connection holds, compared before and after opening them.
	 */
	static void classHistogram(long pid, Path file) {
		try {
			Files.writeString(file, jcmd(pid, "GC.class_histogram"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// a histogram is a diagnostic extra
		}
	}

	private static String jcmd(long pid, String command) throws IOException {
		Process process = new ProcessBuilder(jcmdOf(pid), Long.toString(pid), command).redirectErrorStream(true)
			.start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			return output;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	/** The {@code jcmd} of the JDK the process runs on (a row may run on another JDK than the generator's). */
	private static String jcmdOf(long pid) {
		try {
			Path java = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe"));
			Path jcmd = java.resolveSibling("jcmd");
			if (java.getFileName().toString().equals("java") && Files.isExecutable(jcmd)) {
				return jcmd.toString();
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux, or the process is gone: the jcmd on the PATH
		}
		return "jcmd";
	}
}
