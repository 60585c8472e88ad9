package io.github.springsignalr.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.HubContext;
import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.redis.RedisServer;
import io.github.springsignalr.redis.RoundRobinProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Minutes of churn against two nodes sharing a real Redis, with Netty's paranoid leak detection: the
 * official JavaScript client's short-lived connections over every transport and protocol (directly to
 * the nodes, and through a round-robin proxy that sends each HTTP request to whichever node is next),
 * some of them killed with their process; the official Java client's over WebSockets and long polling;
 * raw-socket clients that stop reading while their group is flooded; Redis killed and restarted in the
 * middle; a control client echoing throughout. Afterwards: no leak report, no ERROR line (but those of hub
 * methods that failed to publish during the outage, logged as ASP.NET Core logs a throwing hub method),
 * the heap back to its start level, no connection left and {@code OnDisconnected} run for every connection, the control
 * client's latency within its bound, and no client failure outside the Redis outage and the recovery after
 * it. System properties size a longer run: {@code soak.duration-seconds} (120), {@code soak.workers} (6
 * JavaScript clients churning at once, besides the proxied one, the killed ones and the Java client),
 * {@code soak.slow-readers} (4), {@code soak.victim-interval-seconds} (5), {@code soak.redis-outage-seconds}
 * (5), {@code soak.recovery-seconds} (30), {@code soak.control-p99-millis} (1000) and
 * {@code soak.heap-tolerance-mb} (8). The default run takes three to four minutes.
 */
class SoakTests {

	private static final Duration CHURN = Duration.ofSeconds(Long.getLong("soak.duration-seconds", 120));

	private static final int WORKERS = Integer.getInteger("soak.workers", 6);

	private static final int SLOW_READERS = Integer.getInteger("soak.slow-readers", 4);

	private static final Duration VICTIM_INTERVAL = Duration
		.ofSeconds(Long.getLong("soak.victim-interval-seconds", 5));

	private static final Duration REDIS_OUTAGE = Duration.ofSeconds(Long.getLong("soak.redis-outage-seconds", 5));

	/** After Redis is back: until the backplane reconnected (Lettuce backs off) and the nodes registered again. */
	private static final Duration RECOVERY = Duration.ofSeconds(Long.getLong("soak.recovery-seconds", 30));

	private static final Duration CONTROL_P99 = Duration.ofMillis(Long.getLong("soak.control-p99-millis", 1000));

	/** Time for the last connections to end: the client timeout and long polling's disconnect timeout. */
	private static final Duration SETTLE = Duration.ofSeconds(60);

	private static final long HEAP_TOLERANCE_BYTES = Long.getLong("soak.heap-tolerance-mb", 8) * 1024 * 1024;

	private static final int FLOOD_MESSAGE_CHARS = 16 * 1024;

	private static final Duration FLOOD_INTERVAL = Duration.ofMillis(50);

	/** The method that leaks a buffer: its name is in the report's record of where the buffer was created. */
	private static final String LEAKED_ON_PURPOSE = "leakOneBuffer";

	private static ResourceLeakDetector.Level leakDetection = ResourceLeakDetector.Level.SIMPLE;

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private static RoundRobinProxy proxy;

	@BeforeAll
	static void startNodes() {
		leakDetection = ResourceLeakDetector.getLevel();
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		redis = RedisServer.start();
		for (int i = 0; i < 2; i++) {
			nodes.add(SoakApplication.startNode(redis.url()));
		}
		proxy = RoundRobinProxy.start(nodes.stream().map(SoakApplication::port).toList());
	}

	@AfterAll
	static void stopNodes() {
		if (proxy != null) {
			proxy.close();
		}
		nodes.forEach(ConfigurableApplicationContext::close);
		if (redis != null) {
			redis.close();
		}
		ResourceLeakDetector.setLevel(leakDetection);
	}

	@Test
	void churnWithSlowReadersAndARedisRestartLeavesNoLeakNoErrorNoConnectionAndTheHeapWhereItWas() throws Exception {
		List<String> nodeUrls = nodes.stream().map(SoakApplication::url).toList();
		List<SlowReader> slowReaders = new ArrayList<>();
		AtomicInteger flooded = new AtomicInteger();
		Thread flooder = null;
		try (ServerLog log = ServerLog.attach(); ControlClient control = ControlClient.start(nodeUrls.get(0))) {
			assertLeakDetectorReportsALeakedBuffer(log);
			// a warm-up, so that the heap's start level is that of a node that has served every transport
			runJavaScriptChurn(Duration.ofSeconds(10), Duration.ofDays(1));
			long heapBefore = heapUsedAfterGc();
			Map<String, Long> histogramBefore = HeapHistogram.take();
			for (int i = 0; i < SLOW_READERS; i++) {
				String url = nodeUrls.get(i % nodeUrls.size());
				boolean pinging = (i / 2) % 2 == 0;
				slowReaders.add((i % 2 == 0) ? SlowReader.webSockets(url, "slow-readers", pinging)
						: SlowReader.serverSentEvents(url, "slow-readers", pinging));
			}
			flooder = flood(flooded);
			JavaClientChurn javaChurn = new JavaClientChurn(nodeUrls);
			long started = System.nanoTime();
			CompletableFuture<Void> javaDone = javaChurn.run(CHURN);
			CompletableFuture<JsonNode> javaScriptDone = CompletableFuture
				.supplyAsync(() -> runJavaScriptChurn(CHURN, VICTIM_INTERVAL));
			Thread.sleep(CHURN.toMillis() * 2 / 5);
			long outageStart = System.currentTimeMillis();
			redis.kill();
			Thread.sleep(REDIS_OUTAGE.toMillis());
			redis.restart();
			long outageEnd = System.currentTimeMillis();
			JsonNode javaScript = javaScriptDone.get(CHURN.toMinutes() + 4, TimeUnit.MINUTES);
			javaDone.get(2, TimeUnit.MINUTES);
			flooder.interrupt();
			flooder.join(10_000);
			control.stopEchoing();
			long churned = System.nanoTime() - started;

			awaitIdleNodes(SETTLE);
			List<SlowReader> neverDisconnected = slowReaders.stream()
				.filter((reader) -> nodes.stream().anyMatch((node) -> lifecycle(node).isOpen(reader.connectionId())))
				.toList();
			List<String> notIdle = nodes.stream().filter((node) -> !idle(node)).map(SoakTests::describe).toList();
			slowReaders.forEach(SlowReader::close);
			awaitIdleNodes(Duration.ofSeconds(15));
			long heapAfter = heapUsedAfterGc();
			Map<String, Long> histogramAfter = HeapHistogram.take();
			provokeLeakReports();

			ClientFailures failures = new ClientFailures(outageStart, outageEnd, RECOVERY.toMillis());
			for (JsonNode failure : javaScript.get("failures")) {
				failures.add(failure.get("at").asLong(), "JavaScript client over " + failure.get("combination").asString()
						+ ", " + failure.get("step").asString() + ": " + failure.get("error").asString());
			}
			javaChurn.failures().forEach((failure) -> failures.add(failure.at(), failure.what() + ": " + failure.error()));
			long connectionsChurned = javaScript.get("started").asLong() + javaScript.get("killed").asLong()
					+ javaChurn.started();
			long messages = javaScript.get("invocations").asLong() * 2 + javaScript.get("received").asLong()
					+ javaChurn.completed() * 6L + javaChurn.messagesReceived() + control.echoes() * 2L + flooded.get();
			System.out.printf("Soak over %d s: %d connections churned (JavaScript client %s, %d through the "
					+ "round-robin proxy, %d killed with their process; Java client %d), %d messages (%d control "
					+ "echoes, %d floods of %d KB to %d slow readers), Redis down for %d ms at %d s, %d client "
					+ "failures during the outage and recovery, %d outside it; heap after GC %d MB before, %d MB "
					+ "after; control echo p50 %d ms, p99 %d ms, max %d ms%n",
					TimeUnit.NANOSECONDS.toSeconds(churned), connectionsChurned, javaScript.get("byCombination"),
					javaScript.get("proxied").asLong(), javaScript.get("killed").asLong(), javaChurn.started(), messages,
					control.echoes(), flooded.get(), FLOOD_MESSAGE_CHARS / 1024, SLOW_READERS, outageEnd - outageStart,
					CHURN.toSeconds() * 2 / 5, failures.excusedCount(), failures.unexcusedCount(), heapBefore >> 20,
					heapAfter >> 20, control.latencyPercentile(50).toMillis(), control.latencyPercentile(99).toMillis(),
					control.maximumLatency().toMillis());
			failures.excused().forEach((line) -> System.out.println("  excused by the outage: " + line));
			if (heapAfter > heapBefore + HEAP_TOLERANCE_BYTES / 2) {
				System.out.println("What grew on the heap:" + System.lineSeparator()
						+ HeapHistogram.growth(histogramBefore, histogramAfter, 25));
			}

			SoftAssertions soft = new SoftAssertions();
			soft.assertThat(log.leaks()).as("Netty's leak reports").isEmpty();
			soft.assertThat(log.errorsNotExplainedByTheOutage(outageStart, outageEnd + RECOVERY.toMillis()))
				.as("ERROR lines the nodes logged, but hub methods that failed to publish during the Redis outage")
				.isEmpty();
			soft.assertThat(failures.unexcused())
				.as("client failures outside the Redis outage and the %s after it", RECOVERY)
				.isEmpty();
			javaScript.get("byCombination").properties().forEach((entry) -> soft.assertThat(entry.getValue().asLong())
				.as("JavaScript client connections over %s that did everything", entry.getKey()).isPositive());
			soft.assertThat(javaScript.get("proxied").asLong()).as("connections through the proxy").isPositive();
			soft.assertThat(javaScript.get("killed").asLong()).as("connections killed with their process").isPositive();
			soft.assertThat(javaChurn.completed()).as("Java client connections that did everything").isPositive();
			soft.assertThat(control.failures()).as("the control client's failed echoes").isEmpty();
			soft.assertThat(control.latencyPercentile(99)).as("the control client's p99 echo latency")
				.isLessThanOrEqualTo(CONTROL_P99);
			soft.assertThat(neverDisconnected).as("slow readers the server never disconnected").isEmpty();
			soft.assertThat(notIdle).as("nodes with connections left, or without OnDisconnected for each, %s after "
					+ "the churn", SETTLE).isEmpty();
			soft.assertThat(heapAfter).as("heap used after GC, %d MB at the start", heapBefore >> 20)
				.isLessThanOrEqualTo(heapBefore + HEAP_TOLERANCE_BYTES);
			soft.assertAll();
		}
		finally {
			if (flooder != null) {
				flooder.interrupt();
			}
			slowReaders.forEach(SlowReader::close);
		}
	}

	private static void awaitIdleNodes(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline && !nodes.stream().allMatch(SoakTests::idle)) {
			Thread.sleep(200);
		}
	}

	/** Runs {@code js/soak/churn.mjs} for {@code duration} and returns what it wrote. */
	private static JsonNode runJavaScriptChurn(Duration duration, Duration victimInterval) {
		try {
			Path summary = Files.createTempFile("soak-churn-", ".json");
			try {
				NodeTests.runFile("soak/churn.mjs", "http://127.0.0.1:" + proxy.port(), duration.plusMinutes(3),
						Map.of("SIGNALR_NODE_URLS", String.join(",", nodes.stream().map(SoakApplication::url).toList()),
								"SOAK_DURATION_MS", Long.toString(duration.toMillis()), "SOAK_WORKERS",
								Integer.toString(WORKERS), "SOAK_VICTIM_INTERVAL_MS",
								Long.toString(Math.min(victimInterval.toMillis(), Integer.MAX_VALUE)), "SOAK_SUMMARY",
								summary.toString()));
				return JsonMapper.builder().build().readTree(Files.readString(summary));
			}
			finally {
				Files.deleteIfExists(summary);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Sends to the slow readers' group from the first node until interrupted; a failed send is skipped. */
	@SuppressWarnings("unchecked")
	private static Thread flood(AtomicInteger sent) {
		HubContext<SoakApplication.SoakHub> hubContext = nodes.get(0).getBean(HubContext.class);
		String message = "x".repeat(FLOOD_MESSAGE_CHARS);
		Thread flooder = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					hubContext.clients().group("slow-readers").send("Receive", message).block(Duration.ofSeconds(5));
					sent.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// Redis is down: the send could not be published
				}
				try {
					Thread.sleep(FLOOD_INTERVAL.toMillis());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "soak-flooder");
		flooder.setDaemon(true);
		flooder.start();
		return flooder;
	}

	private static String describe(ConfigurableApplicationContext node) {
		SoakApplication.Lifecycle lifecycle = lifecycle(node);
		return SoakApplication.url(node) + ": " + SoakApplication.connectionCount(node) + " connections, OnConnected "
				+ lifecycle.connectedCount() + ", OnDisconnected " + lifecycle.disconnectedCount() + ", open "
				+ lifecycle.open();
	}

	private static SoakApplication.Lifecycle lifecycle(ConfigurableApplicationContext node) {
		return node.getBean(SoakApplication.Lifecycle.class);
	}

	/** No connection left, and {@code OnDisconnected} ran for every connection {@code OnConnected} ran for. */
	private static boolean idle(ConfigurableApplicationContext node) {
		SoakApplication.Lifecycle lifecycle = lifecycle(node);
		return SoakApplication.connectionCount(node) == 0 && lifecycle.open().isEmpty()
				&& lifecycle.connectedCount() == lifecycle.disconnectedCount();
	}

	/**
	 * Proves the detector and the log capture work: a buffer dropped unreleased is reported once it is
	 * garbage-collected and another buffer is allocated (Netty reports leaks when it tracks a new buffer).
	 */
	private static void assertLeakDetectorReportsALeakedBuffer(ServerLog log) throws InterruptedException {
		leakOneBuffer();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (log.leaks().isEmpty() && System.nanoTime() < deadline) {
			provokeLeakReports();
		}
		assertThat(log.leaks()).as("the report of a buffer leaked on purpose").isNotEmpty()
			.allMatch((leak) -> leak.contains(LEAKED_ON_PURPOSE));
		log.forget(LEAKED_ON_PURPOSE);
	}

	private static void leakOneBuffer() {
		ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(64);
		leaked.writeCharSequence("leaked on purpose by the soak test", java.nio.charset.StandardCharsets.US_ASCII);
	}

	private static void provokeLeakReports() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
			ByteBufAllocator.DEFAULT.buffer(1).release();
			ByteBufAllocator.DEFAULT.directBuffer(1).release();
			ByteBufAllocator.DEFAULT.heapBuffer(1).release();
		}
	}

	/** The smallest heap use seen over a few full collections. */
	private static long heapUsedAfterGc() throws InterruptedException {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(200);
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
