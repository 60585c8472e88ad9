package io.github.springsignalr.soak;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import io.reactivex.rxjava3.core.Completable;
import okhttp3.ConnectionPool;

/**
 * Short-lived connections of the official Java client, over WebSockets and long polling in turn, to the
 * nodes in turn: each joins a group, echoes, sends to the group and waits for its own message, then stops.
 * Failures are kept with their time (epoch milliseconds) for the test to judge.
 */
final class JavaClientChurn {

	private static final long TIMEOUT_MILLIS = 15_000;

	private final List<String> nodeUrls;

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger messages = new AtomicInteger();

	private final List<TimedFailure> failures = new CopyOnWriteArrayList<>();

	/**
	 * One HTTP connection pool for every connection: the client's own, one per connection, outlives its
	 * {@code stop()} and keeps idle keep-alive sockets for five minutes, which would count on the heap.
	 */
	private final ConnectionPool pool = new ConnectionPool();

	JavaClientChurn(List<String> nodeUrls) {
		this.nodeUrls = nodeUrls;
	}

	/** One failure of a churned connection: when, in which step, why. */
	record TimedFailure(long at, String what, String error) {
	}

	/** Churns until {@code duration} has passed, on a thread of its own. */
	CompletableFuture<Void> run(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		return CompletableFuture.runAsync(() -> {
			for (int n = 0; System.nanoTime() < deadline; n++) {
				cycle(n);
			}
			this.pool.evictAll();
		}, (task) -> {
			Thread thread = new Thread(task, "soak-java-client-churn");
			thread.setDaemon(true);
			thread.start();
		});
	}

	private void cycle(int n) {
		TransportEnum transport = (n % 2 == 0) ? TransportEnum.WEBSOCKETS : TransportEnum.LONG_POLLING;
		String what = "Java client over " + transport;
		String message = "java-" + n;
		HubConnection connection = HubConnectionBuilder.create(this.nodeUrls.get(n % this.nodeUrls.size()) + "/soak")
			.withTransport(transport)
			.setHttpClientBuilderCallback((builder) -> builder.connectionPool(this.pool))
			.build();
		CompletableFuture<Void> own = new CompletableFuture<>();
		connection.on("Receive", (received) -> {
			this.messages.incrementAndGet();
			if (message.equals(received)) {
				own.complete(null);
			}
		}, String.class);
		this.started.incrementAndGet();
		String step = "start";
		try {
			await(connection.start());
			step = "JoinGroup";
			await(connection.invoke("JoinGroup", "java"));
			step = "Echo";
			String echoed = connection.invoke(String.class, "Echo", message)
				.timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
				.blockingGet();
			if (!message.equals(echoed)) {
				throw new IllegalStateException("echoed " + echoed);
			}
			step = "SendToGroup";
			await(connection.invoke("SendToGroup", "java", message));
			step = "Receive";
			own.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			this.completed.incrementAndGet();
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.failures.add(new TimedFailure(System.currentTimeMillis(), what + ", " + step, ex.toString()));
		}
		finally {
			try {
				await(connection.stop());
				// close(), unlike stop(), shuts the client's HTTP dispatcher down: its threads would idle on for a minute
				connection.close();
			}
			catch (RuntimeException ex) {
				this.failures.add(new TimedFailure(System.currentTimeMillis(), what + ", stop", ex.toString()));
			}
		}
	}

	private static void await(Completable completable) {
		if (!completable.blockingAwait(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not done within " + TIMEOUT_MILLIS + " ms");
		}
	}

	int started() {
		return this.started.get();
	}

	int completed() {
		return this.completed.get();
	}

	int messagesReceived() {
		return this.messages.get();
	}

	List<TimedFailure> failures() {
		return List.copyOf(this.failures);
	}

}
