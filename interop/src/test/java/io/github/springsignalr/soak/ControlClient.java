package io.github.springsignalr.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;

/**
 * One official Java client over WebSockets that echoes every {@link #INTERVAL} for the whole soak and
 * records each round trip: the latency a well-behaved client sees while the others churn.
 */
final class ControlClient implements AutoCloseable {

	private static final Duration INTERVAL = Duration.ofMillis(100);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HubConnection connection;

	private final List<Long> latenciesNanos = new CopyOnWriteArrayList<>();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final Thread loop;

	private ControlClient(HubConnection connection) {
		this.connection = connection;
		this.loop = new Thread(this::echoUntilInterrupted, "soak-control-client");
		this.loop.setDaemon(true);
	}

	static ControlClient start(String baseUrl) {
		HubConnection connection = HubConnectionBuilder.create(baseUrl + "/soak").build();
		if (!connection.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("the control client did not connect within " + TIMEOUT);
		}
		ControlClient client = new ControlClient(connection);
		client.loop.start();
		return client;
	}

	private void echoUntilInterrupted() {
		for (int n = 0; !Thread.currentThread().isInterrupted(); n++) {
			String message = "control-" + n;
			long start = System.nanoTime();
			try {
				String echoed = this.connection.invoke(String.class, "Echo", message)
					.timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
					.blockingGet();
				this.latenciesNanos.add(System.nanoTime() - start);
				if (!message.equals(echoed)) {
					this.failures.add("echoed " + echoed + " for " + message);
				}
			}
			catch (RuntimeException ex) {
				this.failures.add(message + ": " + ex);
			}
			try {
				Thread.sleep(INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	int echoes() {
		return this.latenciesNanos.size();
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	/** The latency under which {@code percentile} percent of the echoes came back. */
	Duration latencyPercentile(double percentile) {
		List<Long> sorted = new ArrayList<>(this.latenciesNanos);
		if (sorted.isEmpty()) {
			return Duration.ZERO;
		}
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
		return Duration.ofNanos(sorted.get(Math.max(0, index)));
	}

	Duration maximumLatency() {
		return latencyPercentile(100);
	}

	/** Stops echoing and disconnects; the latencies stay. */
	void stopEchoing() {
		this.loop.interrupt();
		try {
			this.loop.join(TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.connection.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			// close(), unlike stop(), shuts the client's HTTP dispatcher down
			this.connection.close();
		}
	}

	@Override
	public void close() {
		if (this.loop.isAlive() || this.connection.getConnectionState() != HubConnectionState.DISCONNECTED) {
			stopEchoing();
		}
	}

}
