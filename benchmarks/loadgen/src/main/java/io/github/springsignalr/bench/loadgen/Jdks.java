package io.github.springsignalr.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code java} a row runs on when it names a least Java release ({@code java.min}, e.g. 21 for virtual
 * threads): the generator's own when it is recent enough, else the newest JDK that is, among those listed in
 * {@code $BENCH_JDKS} (homes separated by {@code :}) and those installed under {@code /usr/lib/jvm} and
 * {@code /opt}; the generator's own when none is (the report's command lines say which ran).
 */
final class Jdks {

	private Jdks() {
	}

	/** The java executable for a row wanting at least {@code minimum} (0: any), given the generator's. */
	static String java(int minimum, String own) {
		if (minimum <= Runtime.version().feature()) {
			return own;
		}
		String best = own;
		int bestFeature = 0;
		for (Path home : candidates()) {
			Path java = home.resolve("bin/java");
			int feature = feature(home);
			if (feature >= minimum && feature > bestFeature && Files.isExecutable(java)) {
				best = java.toString();
				bestFeature = feature;
			}
		}
		return best;
	}

	private static List<Path> candidates() {
		List<Path> homes = new ArrayList<>();
		String listed = System.getenv("BENCH_JDKS");
		if (listed != null) {
			for (String home : listed.split(":")) {
				if (!home.isBlank()) {
					homes.add(Path.of(home));
				}
			}
		}
		for (String root : List.of("/usr/lib/jvm", "/opt")) {
			try (Stream<Path> children = Files.list(Path.of(root))) {
				children.forEach(homes::add);
			}
			catch (IOException ex) {
				// no such directory here
			}
		}
		return homes;
	}

	/** The feature release of the JDK at {@code home}, from its {@code release} file ({@code JAVA_VERSION="25.0.3"}). */
	static int feature(Path home) {
		try {
			for (String line : Files.readAllLines(home.resolve("release"))) {
				if (line.startsWith("JAVA_VERSION=")) {
					String version = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
					if (version.startsWith("1.")) {
						version = version.substring(2);
					}
					int end = 0;
					while (end < version.length() && Character.isDigit(version.charAt(end))) {
						end++;
					}
					return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not a JDK
		}
		return 0;
	}
}
