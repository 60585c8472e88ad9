package io.github.springsignalr.soak;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects' bytes per class (HotSpot's {@code GC.class_histogram}, which collects first), to say
 * what grew when the heap did not come back to its start level.
 */
final class HeapHistogram {

	private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

	private HeapHistogram() {
	}

	/** Bytes per class name; empty where the JVM has no diagnostic command MBean. */
	static Map<String, Long> take() {
		Map<String, Long> bytes = new HashMap<>();
		try {
			String histogram = (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			for (String line : histogram.split("\\R")) {
				Matcher matcher = LINE.matcher(line);
				if (matcher.find()) {
					bytes.merge(matcher.group(2), Long.parseLong(matcher.group(1)), Long::sum);
				}
			}
		}
		catch (JMException ex) {
			// not a HotSpot JVM: no histogram, only the totals
		}
		return bytes;
	}

	/** The {@code limit} classes whose bytes grew most from {@code before} to {@code after}, one a line. */
	static String growth(Map<String, Long> before, Map<String, Long> after, int limit) {
		return after.entrySet().stream()
			.map((entry) -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(limit)
			.map((entry) -> String.format("  %+,12d bytes  %s", entry.getValue(), entry.getKey()))
			.collect(Collectors.joining(System.lineSeparator()));
	}

}
