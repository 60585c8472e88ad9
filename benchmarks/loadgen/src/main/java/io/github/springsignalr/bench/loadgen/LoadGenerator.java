package io.github.springsignalr.bench.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Runs one scenario against one server (or several nodes) from a single event-loop thread, so the whole
 * generator can be pinned to one core. Every connection, every delivery and every pacing decision happens on
 * that thread; the calling thread only opens, waits and takes snapshots.
 */
public final class LoadGenerator implements AutoCloseable {

	/** Where the connections go. */
	public record Target(String host, int port) {
	}

	private static final long MAX_LATENCY_MICROS = 60_000_000L;

	private final LoopResources loop = LoopResources.create("loadgen", 1, 1, true);

	private final EventLoop eventLoop = loop.onClient(true).next();

	private final ConnectionProvider provider = ConnectionProvider.builder("loadgen")
		.maxConnections(40_000)
		.pendingAcquireMaxCount(-1)
		.pendingAcquireTimeout(Duration.ofSeconds(120))
		.build();

	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	private final int bindAddresses;

	private final Duration warmup;

	private final Duration measure;

	/**
	 * @param bindAddresses connections are spread over local addresses 127.0.0.1 .. 127.0.0.{@code n}
	 * @param warmup load before measuring
	 * @param measure the measured period
	 */
	public LoadGenerator(int bindAddresses, Duration warmup, Duration measure) {
		this.bindAddresses = bindAddresses;
		this.warmup = warmup;
		this.measure = measure;
	}

	private HttpClient client(Target target, int index) {
		String local = "127.0.0." + (1 + index % bindAddresses);
		return clients.computeIfAbsent(target + "/" + local, (key) -> HttpClient.create(provider)
			.runOn(loop)
			.host(target.host())
			.port(target.port())
			.bindAddress(() -> new InetSocketAddress(local, 0)));
	}

	/**
	 * Runs {@code scenario} with {@code dialect} against {@code targets} (connection i goes to target i mod
	 * size) and measures the server processes {@code pids}; {@code jvm} enables the heap measurement.
	 */
	public Result run(String server, Dialect dialect, Scenario scenario, List<Target> targets, List<Long> pids,
			boolean jvm) {
		return run(server, dialect, scenario, targets, pids, jvm, this.warmup);
	}

	/** As {@link #run(String, Dialect, Scenario, List, List, boolean)} with its own warm-up period. */
	public Result run(String server, Dialect dialect, Scenario scenario, List<Target> targets, List<Long> pids,
			boolean jvm, Duration warmup) {
		int n = scenario.connections();
		Stats stats = new Stats();
		Conn[] conns = new Conn[n];
		for (int i = 0; i < n; i++) {
			conns[i] = new Conn(i, stats);
			conns[i].paused = i >= n - scenario.paused();
		}
		String payload = "x".repeat(Math.max(1, scenario.payloadSize()));
		Driver driver = driver(scenario, conns, stats, payload);
		stats.driver = driver;
		long heapBefore = scenario.kind() == Scenario.Kind.IDLE && jvm ? heapAfterGc(pids) : -1;
		if (scenario.kind() == Scenario.Kind.IDLE && jvm) {
			histograms(server, scenario, pids, "before");
		}
		long rssBefore = rss(pids);
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<String> firstError = new AtomicReference<>("");
		Flux.range(0, n)
			.flatMap((i) -> dialect.open(client(targets.get(i % targets.size()), i), conns[i])
				.timeout(Duration.ofSeconds(60))
				.doOnNext((session) -> conns[i].session = session)
				.onErrorResume((error) -> {
					failures.incrementAndGet();
					firstError.compareAndSet("", "open: " + error);
					return Mono.empty();
				}), 256)
			.blockLast(Duration.ofMinutes(5));
		for (Conn conn : conns) {
			if (conn.paused && conn.session != null) {
				conn.session.pauseReading(true);
			}
		}
		if (scenario.kind() == Scenario.Kind.GROUP) {
			Flux.fromArray(conns)
				.filter((conn) -> conn.session != null)
				.flatMap((conn) -> conn.session.join("g" + (conn.index % scenario.groups()))
					.timeout(Duration.ofSeconds(60))
					.onErrorResume((error) -> {
						firstError.compareAndSet("", "join: " + error);
						return Mono.empty();
					}), 512)
				.blockLast(Duration.ofMinutes(5));
		}
		try {
			if (scenario.kind() == Scenario.Kind.IDLE) {
				sleep(Duration.ofSeconds(3));
				long heapAfter = jvm ? heapAfterGc(pids) : -1;
				if (jvm) {
					histograms(server, scenario, pids, "after");
				}
				long rssAfter = rss(pids);
				int open = n - failures.get();
				return new Result(server, dialect.name(), scenario.name(), open, failures.get(), Double.NaN,
						Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, rssAfter,
						open > 0 ? (rssAfter - rssBefore) * 1024.0 / open : Double.NaN,
						jvm && heapBefore >= 0 && heapAfter >= 0 && open > 0
								? (heapAfter - heapBefore) * 1024.0 / open : Double.NaN,
						firstError.get());
			}
			onLoop(() -> {
				driver.start();
				stats.ticker = eventLoop.scheduleAtFixedRate(driver::tick, 200, 200, TimeUnit.MILLISECONDS);
				return null;
			});
			sleep(warmup);
			long generatorPid = ProcessHandle.current().pid();
			long delivered0 = onLoop(() -> {
				stats.latency.reset();
				return stats.delivered;
			});
			long cpu0 = ProcStats.cpuMicros(pids);
			long gen0 = ProcStats.cpuMicros(generatorPid);
			long t0 = System.nanoTime();
			sleep(measure);
			long delivered1 = onLoop(() -> stats.delivered);
			Histogram latency = onLoop(stats.latency::copy);
			long cpu1 = ProcStats.cpuMicros(pids);
			long gen1 = ProcStats.cpuMicros(generatorPid);
			long t1 = System.nanoTime();
			long rss = rss(pids);
			onLoop(() -> {
				driver.stop();
				ScheduledFuture<?> ticker = stats.ticker;
				if (ticker != null) {
					ticker.cancel(false);
				}
				return null;
			});
			double seconds = (t1 - t0) / 1e9;
			long delivered = delivered1 - delivered0;
			double wallMicros = (t1 - t0) / 1e3;
			return new Result(server, dialect.name(), scenario.name(), n - failures.get(), failures.get(),
					delivered / seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
					latency.getValueAtPercentile(99.9), (cpu1 - cpu0) / wallMicros,
					delivered > 0 ? (double) (cpu1 - cpu0) / delivered : Double.NaN, (gen1 - gen0) / wallMicros, rss,
					Double.NaN, Double.NaN, firstError.get());
		}
		finally {
			sleep(Duration.ofMillis(300));
			Flux.fromArray(conns)
				.filter((conn) -> conn.session != null)
				.flatMap((conn) -> conn.session.close()
					.timeout(Duration.ofSeconds(5))
					.onErrorResume((error) -> Mono.empty()), 1024)
				.blockLast(Duration.ofSeconds(90));
			sleep(Duration.ofSeconds(1));
		}
	}

	/**
	 * With {@code -Dbench.histograms=DIR}, writes each server process's class histogram to
	 * {@code DIR/<server>-<scenario>-<pid>-<when>.txt}.
	 */
	private static void histograms(String server, Scenario scenario, List<Long> pids, String when) {
		String dir = System.getProperty("bench.histograms");
		if (dir == null) {
			return;
		}
		for (long pid : pids) {
			ProcStats.classHistogram(pid, java.nio.file.Path.of(dir, server + "-" + scenario.name() + "-" + pid + "-"
					+ when + ".txt"));
		}
	}

	private static long rss(List<Long> pids) {
		long total = 0;
		for (long pid : pids) {
			total += Math.max(0, ProcStats.rssKb(pid));
		}
		return total;
	}

	private static long heapAfterGc(List<Long> pids) {
		long total = 0;
		for (long pid : pids) {
			long heap = ProcStats.heapAfterGcKb(pid);
			if (heap < 0) {
				return -1;
			}
			total += heap;
		}
		return total;
	}

	private Driver driver(Scenario scenario, Conn[] conns, Stats stats, String payload) {
		switch (scenario.kind()) {
			case ECHO:
				return new EchoDriver(conns, scenario.window(), payload);
			case BROADCAST:
				return new BroadcastDriver(conns, stats, scenario.window(), scenario.paused(), payload);
			case GROUP:
				return new GroupDriver(conns, stats, scenario.window(), scenario.groups(), payload);
			default:
				return new Driver();
		}
	}

	private <T> T onLoop(Callable<T> action) {
		try {
			return eventLoop.submit(action).get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		provider.disposeLater().block(Duration.ofSeconds(10));
		loop.disposeLater().block(Duration.ofSeconds(10));
	}

	/** Counters of one run; touched on the event loop only. */
	private static final class Stats {

		long delivered;

		final Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);

		Driver driver = new Driver();

		@Nullable ScheduledFuture<?> ticker;
	}

	/** One connection: its session and the sink of its deliveries. */
	private final class Conn implements Dialect.MessageSink {

		final int index;

		final Stats stats;

		volatile Dialect.@Nullable Session session;

		boolean paused;

		Conn(int index, Stats stats) {
			this.index = index;
			this.stats = stats;
		}

		@Override
		public void delivered(long sentNanos) {
			if (!eventLoop.inEventLoop()) {
				eventLoop.execute(() -> delivered(sentNanos));
				return;
			}
			if (paused) {
				return;
			}
			long micros = (System.nanoTime() - sentNanos) / 1000;
			stats.delivered++;
			stats.latency.recordValue(Math.max(0, Math.min(micros, MAX_LATENCY_MICROS)));
			stats.driver.delivered(this);
		}
	}

	/** The load of one scenario kind; every method runs on the event loop. */
	private static class Driver {

		boolean running;

		void start() {
			running = true;
		}

		void stop() {
			running = false;
		}

		void delivered(Conn conn) {
		}

		/** Called every 200 ms: a driver waiting for deliveries that will never come (dropped) moves on. */
		void tick() {
		}
	}

	/** Each connection keeps {@code window} echoes in flight. */
	private static final class EchoDriver extends Driver {

		private final Conn[] conns;

		private final int window;

		private final String payload;

		EchoDriver(Conn[] conns, int window, String payload) {
			this.conns = conns;
			this.window = window;
			this.payload = payload;
		}

		@Override
		void start() {
			super.start();
			for (Conn conn : conns) {
				Dialect.Session session = conn.session;
				if (session != null) {
					for (int i = 0; i < window; i++) {
						session.echo(System.nanoTime(), payload);
					}
				}
			}
		}

		@Override
		void delivered(Conn conn) {
			Dialect.Session session = conn.session;
			if (running && session != null) {
				session.echo(System.nanoTime(), payload);
			}
		}
	}

	/**
	 * Sends whenever fewer than {@code window} sends are outstanding, where outstanding is the expected
	 * deliveries of everything sent minus the deliveries seen, in units of one send's deliveries.
	 */
	private abstract static class PacedDriver extends Driver {

		final Stats stats;

		final int window;

		final String payload;

		long expected;

		private long forgiven;

		private long lastDelivered = -1;

		PacedDriver(Stats stats, int window, String payload) {
			this.stats = stats;
			this.window = window;
			this.payload = payload;
		}

		abstract int deliveriesPerSend();

		/** Sends one message; false if no sender is available. */
		abstract boolean send();

		@Override
		void start() {
			super.start();
			pump();
		}

		@Override
		void delivered(Conn conn) {
			pump();
		}

		private void pump() {
			long bound = (long) window * deliveriesPerSend();
			while (running && expected - stats.delivered - forgiven < bound) {
				if (!send()) {
					return;
				}
				expected += deliveriesPerSend();
			}
		}

		@Override
		void tick() {
			if (stats.delivered == lastDelivered) {
				// nothing arrived for a whole tick: whatever is outstanding was dropped
				forgiven = expected - stats.delivered;
				pump();
			}
			lastDelivered = stats.delivered;
		}
	}

	/** One sender broadcasts to every connection. */
	private static final class BroadcastDriver extends PacedDriver {

		private final Conn[] conns;

		private final int receivers;

		BroadcastDriver(Conn[] conns, Stats stats, int window, int paused, String payload) {
			super(stats, window, payload);
			this.conns = conns;
			this.receivers = conns.length - paused;
		}

		@Override
		int deliveriesPerSend() {
			return receivers;
		}

		@Override
		boolean send() {
			Dialect.Session sender = conns[0].session;
			if (sender == null) {
				return false;
			}
			sender.broadcast(System.nanoTime(), payload);
			return true;
		}
	}

	/** Rotating members send to their own groups. */
	private static final class GroupDriver extends PacedDriver {

		private final Conn[] conns;

		private final int groups;

		private final int members;

		private long next;

		GroupDriver(Conn[] conns, Stats stats, int window, int groups, String payload) {
			super(stats, window, payload);
			this.conns = conns;
			this.groups = groups;
			this.members = conns.length / groups;
		}

		@Override
		int deliveriesPerSend() {
			return members;
		}

		@Override
		boolean send() {
			for (int attempt = 0; attempt < 16; attempt++) {
				long k = next++;
				int group = (int) (k % groups);
				int member = (int) ((k / groups) % members);
				Dialect.Session sender = conns[group + groups * member].session;
				if (sender != null) {
					sender.sendToGroup("g" + group, System.nanoTime(), payload);
					return true;
				}
			}
			return false;
		}
	}
}
