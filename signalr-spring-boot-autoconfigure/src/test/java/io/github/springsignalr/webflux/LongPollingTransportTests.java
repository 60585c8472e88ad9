package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import reactor.core.publisher.Mono;

/**
 * The long-polling transport driven request by request, with a handler that controls when the data of
 * a POST is handled.
 */
class LongPollingTransportTests {

	private static final long TIMEOUT_SECONDS = 5;

	private final ConnectionManager manager = new ConnectionManager(Duration.ofSeconds(1));

	private final LongPollingTransport transport = new LongPollingTransport(Duration.ofSeconds(30));

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	/**
	 * A DELETE ends a held poll while a POST is being handled and the handler is about to write: the
	 * DELETE holds the connection while it ends the poll, the POST holds the connection's inbound data
	 * while the handler writes, and neither may wait for the other (the official Java client's stop
	 * hung, and every request after it, when they did).
	 */
	@Test
	void endsHeldPollOnDeleteWhileHandlerWritesTheDataOfAPost() throws Exception {
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch write = new CountDownLatch(1);
		ConnectionHandler handler = new ConnectionHandler() {
			@Override
			public Mono<Void> onReceived(Connection connection, byte[] data) {
				return Mono.fromRunnable(() -> {
					handling.countDown();
					awaitQuietly(write);
					connection.send("reply".getBytes());
				});
			}
		};
		HttpConnection connection = this.manager.create(new ConnectionRoute("/test", "test", handler,
				longPollingOnly()), 1);
		MockServerWebExchange first = get(connection);
		this.transport.connect(first, connection).block(Duration.ofSeconds(TIMEOUT_SECONDS));
		assertThat(first.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		MockServerWebExchange poll = get(connection);
		CompletableFuture<Void> held = this.transport.poll(poll, connection).toFuture();

		CompletableFuture<Void> post = runInThread("post", () -> connection.receive("message".getBytes()));
		assertThat(handling.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
		MockServerWebExchange delete = MockServerWebExchange
			.from(MockServerHttpRequest.delete("/test?id=" + connection.token()));
		Thread[] deleting = new Thread[1];
		CompletableFuture<Void> deleted = runInThread("delete", () -> {
			deleting[0] = Thread.currentThread();
			this.transport.delete(delete, connection).block(Duration.ofSeconds(TIMEOUT_SECONDS));
		});
		// the handler writes once the DELETE has finished or is waiting for the POST
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (!deleted.isDone() && System.nanoTime() < deadline
				&& (deleting[0] == null || deleting[0].getState() != Thread.State.BLOCKED)) {
			Thread.sleep(10);
		}
		write.countDown();

		deleted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		post.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		held.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(delete.getResponse().getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(poll.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(connection.isClosed()).isTrue();
	}

	/**
	 * Two clients leave at once and the handler tells each one's departure to the other (a chat's "user
	 * left"): the end of a held poll, and the handler's {@code onDisconnected} with it, must not run inside
	 * the DELETE that holds its own connection while the other DELETE holds the other connection.
	 */
	@Test
	void endsHeldPollsOfTwoConnectionsWhoseDisconnectHandlersWriteToEachOther() throws Exception {
		Map<Connection, Connection> others = new ConcurrentHashMap<>();
		CyclicBarrier bothLeaving = new CyclicBarrier(2);
		ConnectionHandler handler = new ConnectionHandler() {
			@Override
			public Mono<Void> onReceived(Connection connection, byte[] data) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
				try {
					bothLeaving.await(1, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					// the other one left earlier or is handled on this same thread: write anyway
				}
				others.get(connection).send("left".getBytes());
				return Mono.empty();
			}
		};
		ConnectionRoute endpoint = new ConnectionRoute("/test", "test", handler, longPollingOnly());
		HttpConnection first = connectedWithHeldPoll(endpoint);
		HttpConnection second = connectedWithHeldPoll(endpoint);
		others.put(first, second);
		others.put(second, first);

		CompletableFuture<Void> firstDeleted = runInThread("delete-first", () -> delete(first));
		CompletableFuture<Void> secondDeleted = runInThread("delete-second", () -> delete(second));

		firstDeleted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		secondDeleted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(first.isClosed()).isTrue();
		assertThat(second.isClosed()).isTrue();
	}

	private static ConnectionOptions longPollingOnly() {
		return new ConnectionOptions(EnumSet.of(TransportType.LONG_POLLING), Duration.ofSeconds(15), 1024 * 1024,
				64 * 1024);
	}

	private HttpConnection connectedWithHeldPoll(ConnectionRoute endpoint) {
		HttpConnection connection = this.manager.create(endpoint, 1);
		this.transport.connect(get(connection), connection).block(Duration.ofSeconds(TIMEOUT_SECONDS));
		this.transport.poll(get(connection), connection).subscribe();
		return connection;
	}

	private void delete(HttpConnection connection) {
		MockServerWebExchange delete = MockServerWebExchange
			.from(MockServerHttpRequest.delete("/test?id=" + connection.token()));
		this.transport.delete(delete, connection).block(Duration.ofSeconds(TIMEOUT_SECONDS));
	}

	private static MockServerWebExchange get(HttpConnection connection) {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/test?id=" + connection.token()));
	}

	/** Runs {@code work} in a daemon thread, so a deadlocked one does not keep the test JVM alive. */
	private static CompletableFuture<Void> runInThread(String name, Runnable work) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				work.run();
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return done;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
