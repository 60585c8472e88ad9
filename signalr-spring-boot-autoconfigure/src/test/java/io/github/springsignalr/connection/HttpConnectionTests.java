package io.github.springsignalr.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.TransportType;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded outbound queue of a connection: a client that does not read is disconnected instead of
 * filling the server's memory.
 */
class HttpConnectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ConnectionManager manager = new ConnectionManager(Duration.ofSeconds(1));

	private final ConnectionTestSupport.RecordingHandler handler = new ConnectionTestSupport.RecordingHandler();

	private final AtomicInteger transportAborts = new AtomicInteger();

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	private HttpConnection connected(long outboundBufferSize) {
		ConnectionRoute endpoint = ConnectionTestSupport.endpoint(Duration.ofSeconds(15), outboundBufferSize,
				this.handler);
		HttpConnection connection = this.manager.create(endpoint, 1);
		assertThat(connection.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null,
				this.transportAborts::incrementAndGet))
			.isTrue();
		return connection;
	}

	@Test
	void postRacingDeleteOnLongPollingNeverDeadlocks() throws Exception {
		// a POST whose message the handler answers at once, racing a DELETE whose end of the outbound
		// queue completes the pending poll, which ends the transport (and the inbound side) on its thread
		io.github.springsignalr.ConnectionHandler echo = new io.github.springsignalr.ConnectionHandler() {

			@Override
			public reactor.core.publisher.Mono<Void> onReceived(io.github.springsignalr.Connection connection,
					byte[] data) {
				pause();
				connection.send(data);
				return reactor.core.publisher.Mono.empty();
			}
		};
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 200; i++) {
				HttpConnection connection = this.manager.create(ConnectionTestSupport.endpoint(Duration.ofSeconds(15),
						1024 * 1024, echo), 1);
				connection.attach(TransportType.LONG_POLLING, ConnectionTestSupport.request(), null, () -> {
				});
				connection.outbound().subscribe(null, null, () -> {
					pause();
					connection.transportEnded(null);
				});
				connection.startReceiving();
				java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
				java.util.concurrent.Future<?> post = threads.submit(() -> {
					start.await();
					for (int j = 0; j < 5; j++) {
						connection.receive(new byte[] { 1 });
					}
					return null;
				});
				java.util.concurrent.Future<?> delete = threads.submit(() -> {
					start.await();
					connection.abort(null);
					return null;
				});
				start.countDown();
				post.get(5, java.util.concurrent.TimeUnit.SECONDS);
				delete.get(5, java.util.concurrent.TimeUnit.SECONDS);
				assertThat(connection.isClosed()).isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * A handler that fails with an error instead of an exception (a stack overflow on a message it was
	 * given) closes the connection: no long-polling connection is left whose POSTs are answered and
	 * never handled again. Thrown while it is called, or while its {@code Mono} is subscribed to.
	 */
	@Test
	void closesConnectionWhenHandlerFailsWithAnError() {
		for (boolean whenSubscribed : new boolean[] { false, true }) {
			java.util.List<byte[]> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
			java.util.List<io.github.springsignalr.Connection> disconnected = new java.util.concurrent.CopyOnWriteArrayList<>();
			java.util.List<@org.jspecify.annotations.Nullable Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
			io.github.springsignalr.ConnectionHandler overflowing = new io.github.springsignalr.ConnectionHandler() {

				@Override
				public reactor.core.publisher.Mono<Void> onReceived(io.github.springsignalr.Connection connection,
						byte[] data) {
					handled.add(data);
					if (!whenSubscribed) {
						throw new StackOverflowError();
					}
					return reactor.core.publisher.Mono.fromRunnable(() -> {
						throw new StackOverflowError();
					});
				}

				@Override
				public reactor.core.publisher.Mono<Void> onDisconnected(io.github.springsignalr.Connection connection,
						@org.jspecify.annotations.Nullable Throwable error) {
					disconnected.add(connection);
					errors.add(error);
					return reactor.core.publisher.Mono.empty();
				}
			};
			HttpConnection connection = this.manager.create(ConnectionTestSupport.endpoint(Duration.ofSeconds(15),
					1024 * 1024, overflowing), 1);
			connection.attach(TransportType.LONG_POLLING, ConnectionTestSupport.request(), null, () -> {
			});
			// the poll that takes the end of the outbound queue ends the transport
			connection.outbound().subscribe(null, null, () -> connection.transportEnded(null));
			connection.startReceiving();
			connection.receive(new byte[] { 1 });

			org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(connection.isClosed()).as("closed when thrown %s", whenSubscribed ? "on subscribe" : "on call")
					.isTrue();
				assertThat(disconnected).containsExactly(connection);
			});
			assertThat(errors).singleElement().isInstanceOf(StackOverflowError.class);
			assertThat(connection.receive(new byte[] { 2 })).as("data after the close is refused").isFalse();
			assertThat(handled).hasSize(1);
		}
	}

	/**
	 * Data the transport did not take (a POST over the limit) ends the connection after the data that came
	 * before it: with the handler's own close when it registered one, by an abort with the error otherwise.
	 */
	@Test
	void receiveFailedEndsTheConnectionAfterTheDataBeforeIt() {
		for (boolean registered : new boolean[] { false, true }) {
			java.util.List<byte[]> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
			java.util.List<@org.jspecify.annotations.Nullable Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
			io.github.springsignalr.ConnectionHandler recording = new io.github.springsignalr.ConnectionHandler() {

				@Override
				public reactor.core.publisher.Mono<Void> onReceived(io.github.springsignalr.Connection connection,
						byte[] data) {
					handled.add(data);
					return reactor.core.publisher.Mono.empty();
				}

				@Override
				public reactor.core.publisher.Mono<Void> onDisconnected(io.github.springsignalr.Connection connection,
						@org.jspecify.annotations.Nullable Throwable error) {
					errors.add(error);
					return reactor.core.publisher.Mono.empty();
				}
			};
			HttpConnection connection = this.manager.create(ConnectionTestSupport.endpoint(Duration.ofSeconds(15),
					1024 * 1024, recording), 1);
			java.util.List<RuntimeException> closedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
			if (registered) {
				connection.onReceiveFailed((error) -> {
					closedBy.add(error);
					connection.close();
				});
			}
			connection.attach(TransportType.LONG_POLLING, ConnectionTestSupport.request(), null, () -> {
			});
			connection.outbound().subscribe(null, null, () -> connection.transportEnded(null));
			IllegalStateException tooLarge = new IllegalStateException("too large");
			assertThat(connection.receive(new byte[] { 1 })).isTrue();
			assertThat(connection.receiveFailed(tooLarge)).isTrue();
			connection.startReceiving();

			org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(errors).hasSize(1));
			assertThat(handled).singleElement().isEqualTo(new byte[] { 1 });
			if (registered) {
				assertThat(closedBy).containsExactly(tooLarge);
			}
			else {
				assertThat(errors).containsExactly(tooLarge);
			}
		}
	}

	/** Widens a race's window. */
	private static void pause() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void closesConnectionWhenOutboundBufferOverflows() {
		HttpConnection connection = connected(100);
		byte[] first = new byte[60];

		assertThat(connection.send(first)).isTrue();
		assertThat(connection.send(new byte[60])).isFalse();

		assertThat(connection.isClosed()).isTrue();
		assertThat(connection.closeCause()).isInstanceOf(OutboundBufferOverflowException.class)
			.hasMessage("The client did not read its messages and the outbound buffer of 100 bytes overflowed.");
		assertThat(this.transportAborts).hasValue(1);
		assertThat(connection.send(new byte[1])).isFalse();
		StepVerifier.create(connection.outbound()).expectNext(first).expectComplete().verify(TIMEOUT);
	}

	@Test
	void countsWhatTheSocketHoldsUnsentAgainstTheOutboundBuffer() {
		HttpConnection connection = connected(100);
		RecordingSocket socket = new RecordingSocket();
		connection.socket(socket);
		// the transport took what was queued and wrote it to a socket the client does not read
		socket.unsent = 90;

		assertThat(connection.send(new byte[20])).isFalse();

		assertThat(connection.closeCause()).isInstanceOf(OutboundBufferOverflowException.class);
		assertThat(this.transportAborts).hasValue(1);
	}

	@Test
	void abortsSocketAndEndsConnectionWhenItsCloseIsNotWrittenWithinTheCloseTimeout() throws InterruptedException {
		ConnectionOptions options = new ConnectionOptions(java.util.EnumSet.of(TransportType.WEB_SOCKETS),
				Duration.ofSeconds(15), 100, 64 * 1024, false, Duration.ofMillis(200));
		HttpConnection connection = this.manager.create(new ConnectionRoute("/test", "test", this.handler, options),
				1);
		connection.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		});
		RecordingSocket socket = new RecordingSocket();
		connection.socket(socket);
		connection.close();

		connection.tick();
		assertThat(socket.aborts).as("within the close timeout").hasValue(0);
		assertThat(connection.state()).isEqualTo(HttpConnection.State.CONNECTED);

		Thread.sleep(250);
		connection.tick();
		connection.tick();

		assertThat(socket.aborts).hasValue(1);
		assertThat(connection.state()).isEqualTo(HttpConnection.State.CLOSED);
		assertThat(this.handler.disconnected).containsExactly(connection);
	}

	/** A socket whose unsent bytes the test sets, and that counts its aborts. */
	private static final class RecordingSocket implements HttpConnection.TransportSocket {

		volatile long unsent;

		final AtomicInteger aborts = new AtomicInteger();

		@Override
		public long unsentBytes() {
			return this.unsent;
		}

		@Override
		public void abort() {
			this.aborts.incrementAndGet();
		}
	}

	@Test
	void tellsHandlerTheOverflowWhenTransportEnds() {
		HttpConnection connection = connected(100);
		connection.send(new byte[60]);
		connection.send(new byte[60]);

		connection.transportEnded(null);

		assertThat(this.handler.disconnected).containsExactly(connection);
		assertThat(this.handler.errors.get(0)).isInstanceOf(OutboundBufferOverflowException.class);
	}

	@Test
	void keepsConnectionOpenWhileTransportDrains() {
		HttpConnection connection = connected(100);
		List<byte[]> written = new CopyOnWriteArrayList<>();
		connection.outbound().subscribe((data) -> {
			written.add(data);
			connection.written(data.length);
		});

		for (int i = 0; i < 20; i++) {
			assertThat(connection.send(new byte[60])).isTrue();
		}

		assertThat(written).hasSize(20);
		assertThat(connection.queuedBytes()).isZero();
		assertThat(connection.isClosed()).isFalse();
		assertThat(connection.closeCause()).isNull();
	}

	@Test
	void acceptsOneMessageLargerThanTheBufferWhenNothingIsQueued() {
		HttpConnection connection = connected(100);

		assertThat(connection.send(new byte[150])).isTrue();
		assertThat(connection.isClosed()).isFalse();
		assertThat(connection.send(new byte[1])).isFalse();
		assertThat(connection.closeCause()).isInstanceOf(OutboundBufferOverflowException.class);
	}

	@Test
	void sendsWhatIsQueuedThenCompletesOnClose() {
		HttpConnection connection = connected(1024);
		byte[] first = { 1 };
		byte[] second = { 2 };
		connection.send(first);
		connection.send(second);

		connection.close();

		assertThat(connection.isClosed()).isTrue();
		assertThat(connection.send(new byte[] { 3 })).isFalse();
		assertThat(connection.closeCause()).isNull();
		assertThat(this.transportAborts).hasValue(0);
		StepVerifier.create(connection.outbound()).expectNext(first, second).expectComplete().verify(TIMEOUT);
	}

	@Test
	void abortRecordsCauseAndEndsTransport() {
		HttpConnection connection = connected(1024);
		IllegalStateException cause = new IllegalStateException("stop");

		connection.abort(cause);

		assertThat(connection.isClosed()).isTrue();
		assertThat(connection.closeCause()).isSameAs(cause);
		assertThat(this.transportAborts).hasValue(1);
		assertThat(connection.send(new byte[] { 1 })).isFalse();
	}

	@Test
	void attachesOnlyOneTransport() {
		HttpConnection connection = connected(1024);

		assertThat(connection.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		})).isFalse();
		assertThat(connection.state()).isEqualTo(HttpConnection.State.CONNECTED);
		assertThat(connection.transport()).isEqualTo(TransportType.WEB_SOCKETS);
	}

	@Test
	void tellsHandlerOnceWhenTransportEnds() {
		HttpConnection connection = connected(1024);

		connection.transportEnded(null);
		connection.transportEnded(new IllegalStateException("again"));

		assertThat(connection.state()).isEqualTo(HttpConnection.State.CLOSED);
		assertThat(this.handler.disconnected).containsExactly(connection);
		assertThat(this.handler.errors).containsExactly((Throwable) null);
		assertThat(this.manager.get(connection.token())).isNull();
	}


	@Test
	void postPastTheInboundBoundWaitsUntilTheHandlerIsDoneAndGetsClosedWhenTheConnectionEnds() {
		List<reactor.core.publisher.Sinks.Empty<Void>> handling = new CopyOnWriteArrayList<>();
		io.github.springsignalr.ConnectionHandler slow = new io.github.springsignalr.ConnectionHandler() {

			@Override
			public reactor.core.publisher.Mono<Void> onReceived(io.github.springsignalr.Connection connection,
					byte[] data) {
				reactor.core.publisher.Sinks.Empty<Void> done = reactor.core.publisher.Sinks.empty();
				handling.add(done);
				return done.asMono();
			}
		};
		HttpConnection connection = this.manager
			.create(ConnectionTestSupport.endpoint(Duration.ofSeconds(15), 1024 * 1024, slow), 1);
		connection.attach(TransportType.LONG_POLLING, ConnectionTestSupport.request(), null, () -> {
		});
		connection.startReceiving();
		reactor.core.publisher.Mono<String> post = connection.whenInboundRoom(10, 16,
				reactor.core.publisher.Mono.fromCallable(() -> connection.receive(new byte[10]) ? "queued" : "closed"),
				reactor.core.publisher.Mono.just("404"));

		StepVerifier.create(post).expectNext("queued").expectComplete().verify(TIMEOUT);
		assertThat(connection.inboundBytes()).isEqualTo(10);
		StepVerifier.create(post)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(200))
			.then(() -> handling.get(0).tryEmitEmpty())
			.expectNext("queued")
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(connection.inboundBytes()).isEqualTo(10);
		StepVerifier.create(post)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(200))
			.then(() -> connection.transportEnded(null))
			.expectNext("404")
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(post).expectNext("404").expectComplete().verify(TIMEOUT);
	}

	@Test
	void canceledPostPassesItsTurnOn() {
		HttpConnection connection = this.manager
			.create(ConnectionTestSupport.endpoint(Duration.ofSeconds(15), 1024 * 1024, this.handler), 1);
		connection.attach(TransportType.LONG_POLLING, ConnectionTestSupport.request(), null, () -> {
		});
		connection.startReceiving();
		reactor.core.publisher.Sinks.Empty<Void> body = reactor.core.publisher.Sinks.empty();
		// a POST that holds the turn while its body is slow to come, then is canceled (its client went away)
		reactor.core.Disposable reading = connection
			.whenInboundRoom(10, 16, body.asMono().thenReturn("queued"), reactor.core.publisher.Mono.just("404"))
			.subscribe();
		StepVerifier.create(connection.whenInboundRoom(10, 16,
				reactor.core.publisher.Mono.fromCallable(() -> connection.receive(new byte[10]) ? "queued" : "closed"),
				reactor.core.publisher.Mono.just("404")))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(200))
			.then(reading::dispose)
			.expectNext("queued")
			.expectComplete()
			.verify(TIMEOUT);
	}
}
