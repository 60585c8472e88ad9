package io.github.springsignalr;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.TransferFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's layers (DESIGN.md), checked on its compiled main classes: every package has a level, no
 * package uses one above it or another one beside it, the packages inside one layer form no cycle, and no
 * main source file is over 450 lines. A use is any class named in a class file's constant pool (fields,
 * methods, generic signatures, annotations, code), never a string constant.
 */
class ArchitectureTests {

	private static final String ROOT = "io/github/springsignalr";

	/** Level of each layer (a package under the root with its subpackages; "" is the root, the API), lowest first. */
	private static final Map<String, Integer> LEVELS = Map.ofEntries(Map.entry("protocol", 0), Map.entry("", 1),
			Map.entry("metrics", 2), Map.entry("connection", 3), Map.entry("hub", 4), Map.entry("legacy", 5),
			Map.entry("cluster", 6), Map.entry("redis", 7), Map.entry("webflux", 8), Map.entry("webmvc", 8),
			Map.entry("security", 9), Map.entry("observation", 9), Map.entry("actuate", 10),
			Map.entry("autoconfigure", 11));

	private static final int MAX_LINES = 450;

	private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L(" + ROOT + "/[^;<]+)[;<]");

	private static final int UTF8 = 1;

	private static final int CLASS = 7;

	private static final int STRING = 8;

	private static final Path CLASSES = classesDirectory();

	private static final SortedMap<String, SortedSet<String>> USES = readUses(CLASSES);

	@Test
	void everyPackageHasALevel() {
		assertNone("packages without a level", unknownPackages(USES));
	}

	@Test
	void noPackageUsesAPackageAboveOrBesideIt() {
		assertNone("uses of a higher layer or of another layer of the same level", layerViolations(USES));
	}

	@Test
	void packagesOfOneLayerFormNoCycle() {
		assertNone("package cycles", cycles(USES));
	}

	/**
	 * The hub runtime and the web adapters ask a connection for its capabilities
	 * ({@code Connection.feature}); only the connection layer knows its {@code HttpConnection}.
	 */
	@Test
	void noClassOutsideTheConnectionLayerTestsForHttpConnection() throws IOException {
		String httpConnection = ROOT + "/connection/HttpConnection";
		List<String> downcasts = new ArrayList<>();
		try (Stream<Path> files = Files.walk(CLASSES.resolve(ROOT))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".class")).sorted().toList()) {
				ClassReader reader = new ClassReader(Files.readAllBytes(file));
				if (layer(reader.getClassName()).equals("connection") || isStale(reader, CLASSES)) {
					continue;
				}
				String owner = name(reader.getClassName());
				reader.accept(new ClassVisitor(Opcodes.ASM9) {
					@Override
					public MethodVisitor visitMethod(int access, String name, String descriptor,
							@Nullable String signature, String @Nullable [] exceptions) {
						return new MethodVisitor(Opcodes.ASM9) {
							@Override
							public void visitTypeInsn(int opcode, String type) {
								// a cast alone may come from generics (a collection of HttpConnection): tests are the sign
								if (opcode == Opcodes.INSTANCEOF && type.equals(httpConnection)) {
									downcasts.add(owner + "." + name
											+ ": instanceof HttpConnection (ask Connection.feature(...) instead)");
								}
							}
						};
					}
				}, ClassReader.SKIP_FRAMES);
			}
		}
		assertNone("instanceof HttpConnection outside the connection layer", downcasts);
	}

	@Test
	void noMainSourceFileIsOver450Lines() throws IOException {
		Path sources = CLASSES.getParent().getParent().resolve("src/main/java");
		assertThat(sources).isDirectory();
		List<String> tooLong = new ArrayList<>();
		try (Stream<Path> files = Files.walk(sources)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).sorted().toList()) {
				int lines = Files.readAllLines(file).size();
				if (lines > MAX_LINES) {
					tooLong.add(sources.relativize(file) + ": " + lines + " lines (at most " + MAX_LINES + ")");
				}
			}
		}
		assertNone("main source files over " + MAX_LINES + " lines", tooLong);
	}

	@Test
	void readsUsesFromFieldsMethodsSignaturesAndAnnotationsButNotStrings() throws IOException {
		Set<String> uses;
		String className = ReferenceFixture.class.getName();
		try (InputStream in = ReferenceFixture.class
			.getResourceAsStream(className.substring(className.lastIndexOf('.') + 1) + ".class")) {
			uses = usedClasses(new ClassReader(Objects.requireNonNull(in)));
		}
		assertThat(uses).contains(ROOT + "/protocol/HubMessage", ROOT + "/protocol/TransferFormat",
				ROOT + "/protocol/HubProtocol", ROOT + "/Hub", ROOT + "/HubMethodName")
			.doesNotContain(ROOT + "/metrics/SignalRMetrics");
	}

	@Test
	void namesUpwardAndSideUsesCyclesAndUnknownPackages() {
		Map<String, Set<String>> uses = Map.of(ROOT + "/hub/A", Set.of(ROOT + "/webflux/B", ROOT + "/protocol/C"),
				ROOT + "/webflux/B", Set.of(ROOT + "/webmvc/D"), ROOT + "/autoconfigure/E",
				Set.of(ROOT + "/autoconfigure/redis/F"), ROOT + "/autoconfigure/redis/F",
				Set.of(ROOT + "/autoconfigure/E", ROOT + "/HubContext"), ROOT + "/wire/G", Set.of());
		assertThat(layerViolations(uses)).containsExactly(
				"hub.A -> webflux.B: hub (level 4) may not use webflux (level 8)",
				"webflux.B -> webmvc.D: webflux and webmvc are both level 8 and may not use each other");
		assertThat(cycles(uses)).containsExactly("autoconfigure, autoconfigure.redis (level 11) form a cycle: "
				+ "autoconfigure.E -> autoconfigure.redis.F, autoconfigure.redis.F -> autoconfigure.E");
		assertThat(unknownPackages(uses))
			.containsExactly("io.github.springsignalr.wire (wire.G): unknown package: add it to the layer order");
	}

	/** Uses a class of the library in each place a class file can name it. */
	@Hub
	@SuppressWarnings("unused")
	private static final class ReferenceFixture {

		List<HubMessage> inSignatureOnly = List.of();

		TransferFormat inFieldDescriptor = TransferFormat.TEXT;

		void inMethodDescriptor(HubProtocol protocol) {
		}

		@HubMethodName("renamed")
		void annotated() {
		}

		String inStringOnly() {
			return "Lio/github/springsignalr/metrics/SignalRMetrics;";
		}

	}

	static List<String> unknownPackages(Map<String, ? extends Set<String>> uses) {
		SortedMap<String, String> unknown = new TreeMap<>();
		new TreeMap<>(uses).forEach((from, to) -> Stream.concat(Stream.of(from), new TreeSet<>(to).stream())
			.filter((type) -> !LEVELS.containsKey(layer(type)))
			.forEach((type) -> unknown.putIfAbsent(layer(type), name(type))));
		return unknown.entrySet()
			.stream()
			.map((e) -> ROOT.replace('/', '.') + "." + e.getKey() + " (" + e.getValue()
					+ "): unknown package: add it to the layer order")
			.toList();
	}

	static List<String> layerViolations(Map<String, ? extends Set<String>> uses) {
		List<String> violations = new ArrayList<>();
		new TreeMap<>(uses).forEach((from, targets) -> {
			for (String to : new TreeSet<>(targets)) {
				String fromLayer = layer(from);
				String toLayer = layer(to);
				Integer fromLevel = LEVELS.get(fromLayer);
				Integer toLevel = LEVELS.get(toLayer);
				if (fromLevel == null || toLevel == null || fromLayer.equals(toLayer)) {
					continue;
				}
				if (toLevel > fromLevel) {
					violations.add(name(from) + " -> " + name(to) + ": " + layerName(fromLayer) + " (level " + fromLevel
							+ ") may not use " + layerName(toLayer) + " (level " + toLevel + ")");
				}
				else if (toLevel.equals(fromLevel)) {
					violations.add(name(from) + " -> " + name(to) + ": " + layerName(fromLayer) + " and "
							+ layerName(toLayer) + " are both level " + fromLevel + " and may not use each other");
				}
			}
		});
		return violations;
	}

	/** Cycles between the packages of one layer (every other cycle has an upward or sideways use). */
	static List<String> cycles(Map<String, ? extends Set<String>> uses) {
		SortedMap<String, SortedSet<String>> packageUses = new TreeMap<>();
		new TreeMap<>(uses).forEach((from, targets) -> targets.forEach((to) -> {
			if (!packageOf(from).equals(packageOf(to)) && layer(from).equals(layer(to))) {
				packageUses.computeIfAbsent(packageOf(from), (p) -> new TreeSet<>()).add(packageOf(to));
			}
		}));
		List<String> cycles = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (String start : packageUses.keySet()) {
			if (seen.contains(start)) {
				continue;
			}
			SortedSet<String> cycle = new TreeSet<>();
			for (String other : reachable(start, packageUses)) {
				if (reachable(other, packageUses).contains(start)) {
					cycle.add(other);
				}
			}
			seen.addAll(cycle);
			if (cycle.size() > 1) {
				List<String> edges = new ArrayList<>();
				new TreeMap<>(uses).forEach((from, targets) -> new TreeSet<>(targets).stream()
					.filter((to) -> !packageOf(from).equals(packageOf(to)) && cycle.contains(packageOf(from))
							&& cycle.contains(packageOf(to)))
					.forEach((to) -> edges.add(name(from) + " -> " + name(to))));
				cycles.add(String.join(", ", cycle.stream().map(ArchitectureTests::packageName).toList()) + " (level "
						+ LEVELS.get(layerOf(start)) + ") form a cycle: " + String.join(", ", edges));
			}
		}
		return cycles;
	}

	private static Set<String> reachable(String start, Map<String, SortedSet<String>> packageUses) {
		Set<String> reached = new HashSet<>(Set.of(start));
		Deque<String> queue = new ArrayDeque<>(reached);
		while (!queue.isEmpty()) {
			for (String next : packageUses.getOrDefault(queue.remove(), new TreeSet<>())) {
				if (reached.add(next)) {
					queue.add(next);
				}
			}
		}
		return reached;
	}

	private static void assertNone(String what, List<String> found) {
		assertThat(found).withFailMessage(() -> what + " (" + found.size() + "):" + System.lineSeparator() + "  "
				+ String.join(System.lineSeparator() + "  ", found))
			.isEmpty();
	}

	private static Path classesDirectory() {
		try {
			return Path.of(Hub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Each main class of the library (nested classes counted as their top-level class) and what it uses. */
	private static SortedMap<String, SortedSet<String>> readUses(Path classes) {
		SortedMap<String, SortedSet<String>> uses = new TreeMap<>();
		try (Stream<Path> files = Files.walk(classes.resolve(ROOT))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".class")).sorted().toList()) {
				ClassReader reader = new ClassReader(Files.readAllBytes(file));
				if (!isStale(reader, classes)) {
					String type = topLevel(reader.getClassName());
					SortedSet<String> used = uses.computeIfAbsent(type, (t) -> new TreeSet<>());
					usedClasses(reader).stream().filter((u) -> !u.equals(type)).forEach(used::add);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return uses;
	}

	/** A class file left behind by a source file that no longer exists (an incremental build). */
	private static boolean isStale(ClassReader reader, Path classes) {
		String[] sourceFile = new String[1];
		reader.accept(new ClassVisitor(Opcodes.ASM9) {
			@Override
			public void visitSource(String source, String debug) {
				sourceFile[0] = source;
			}
		}, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
		if (sourceFile[0] == null) {
			return false;
		}
		Path sources = classes.getParent().getParent().resolve("src/main/java");
		return !Files.exists(sources.resolve(packageOf(reader.getClassName())).resolve(sourceFile[0]));
	}

	/** The library's top-level classes named in the constant pool, except as string constants. */
	static Set<String> usedClasses(ClassReader reader) {
		Set<Integer> classNames = new HashSet<>();
		Set<Integer> strings = new HashSet<>();
		for (int i = 1; i < reader.getItemCount(); i++) {
			int offset = reader.getItem(i);
			if (offset == 0) {
				continue;
			}
			int tag = reader.readByte(offset - 1);
			if (tag == CLASS) {
				classNames.add(reader.readUnsignedShort(offset));
			}
			else if (tag == STRING) {
				strings.add(reader.readUnsignedShort(offset));
			}
		}
		Set<String> used = new TreeSet<>();
		for (int i = 1; i < reader.getItemCount(); i++) {
			int offset = reader.getItem(i);
			if (offset == 0 || reader.readByte(offset - 1) != UTF8) {
				continue;
			}
			String text = utf8(reader, offset);
			if (classNames.contains(i) && text.startsWith(ROOT + "/")) {
				used.add(topLevel(text));
			}
			else if (classNames.contains(i) || !strings.contains(i)) {
				Matcher descriptor = TYPE_IN_DESCRIPTOR.matcher(text);
				while (descriptor.find()) {
					used.add(topLevel(descriptor.group(1)));
				}
			}
		}
		return used;
	}

	private static String utf8(ClassReader reader, int offset) {
		int length = reader.readUnsignedShort(offset);
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(reader.readBytes(offset, length + 2)))) {
			return in.readUTF();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String topLevel(String type) {
		int nested = type.indexOf('$', type.lastIndexOf('/'));
		return (nested < 0) ? type : type.substring(0, nested);
	}

	private static String packageOf(String type) {
		return type.substring(0, type.lastIndexOf('/'));
	}

	/** The layer a class belongs to: the first package segment under the root, "" for the root itself. */
	private static String layer(String type) {
		return layerOf(packageOf(type));
	}

	private static String layerOf(String pkg) {
		if (pkg.equals(ROOT)) {
			return "";
		}
		String below = pkg.substring(ROOT.length() + 1);
		int slash = below.indexOf('/');
		return (slash < 0) ? below : below.substring(0, slash);
	}

	private static String layerName(String layer) {
		return layer.isEmpty() ? "api" : layer;
	}

	private static String packageName(String pkg) {
		return pkg.equals(ROOT) ? "api" : pkg.substring(ROOT.length() + 1).replace('/', '.');
	}

	/** A class as the messages name it: relative to the root, e.g. {@code hub.HubConnectionHandler}. */
	private static String name(String type) {
		return type.substring(ROOT.length() + 1).replace('/', '.');
	}

}
