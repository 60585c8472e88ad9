package io.github.springsignalr.webflux;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The long-polling transport: the first poll answers at once (clients wait for it before their
 * handshake); later polls are held until there is data (everything queued goes out in one body) or
 * the poll timeout passes; a newer poll ends an older one with 204; a closed connection answers 204;
 * a connection without a poll for the disconnect timeout is removed.
 */
final class LongPollingTransport {

	private final Duration pollTimeout;

	LongPollingTransport(Duration pollTimeout) {
		this.pollTimeout = pollTimeout;
	}

	Mono<Void> connect(ServerWebExchange exchange, HttpConnection connection) {
		return TransportRequests.describe(exchange).flatMap((described) -> {
			Polls polls = new Polls(connection);
			if (!connection.attach(TransportType.LONG_POLLING, described.request(), described.user(), polls::abort)) {
				return TransportRequests.respond(exchange, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			}
			connection.items().put(Polls.class, polls);
			connection.onTransportHeartbeat(polls::checkAbandoned);
			connection.outbound().subscribe(polls);
			connection.startReceiving();
			polls.pollEnded();
			return TransportRequests.respond(exchange, HttpStatus.OK, MediaType.TEXT_PLAIN, "");
		});
	}

	Mono<Void> poll(ServerWebExchange exchange, HttpConnection connection) {
		return poll(connection, new PollAnswer() {
			@Override
			public Mono<Void> data(byte[] body, MediaType type) {
				var response = exchange.getResponse();
				response.setStatusCode(HttpStatus.OK);
				response.getHeaders().setContentType(type);
				response.getHeaders().setCacheControl(NO_CACHE);
				response.getHeaders().setContentLength(body.length);
				if (body.length == 0) {
					return response.setComplete();
				}
				return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
			}

			@Override
			public Mono<Void> noContent() {
				return TransportRequests.respond(exchange, HttpStatus.NO_CONTENT, MediaType.TEXT_PLAIN, "");
			}

			@Override
			public Scheduler scheduler() {
				return Schedulers.parallel();
			}
		});
	}

	/** A later poll, answered through {@code answer}. */
	Mono<Void> poll(HttpConnection connection, PollAnswer answer) {
		Object polls = connection.items().get(Polls.class);
		if (!(polls instanceof Polls state)) {
			return answer.noContent();
		}
		return state.poll(answer, this.pollTimeout);
	}

	private static final String NO_CACHE = "no-cache, no-store";

	/** How a poll is answered: through Spring's response, or Reactor Netty's ({@link DirectTransportRequests}). */
	interface PollAnswer {

		/** 200 with the queued messages ({@code Cache-Control: no-cache, no-store}, its length). */
		Mono<Void> data(byte[] body, MediaType type);

		/** 204, {@code text/plain}, empty: the poll was superseded or the connection ended. */
		Mono<Void> noContent();

		/**
		 * Where a held poll times out and resumes: never on the thread that ends the wait, which may hold the
		 * connection's lock (a send, a close, the abort of a DELETE), while ending the poll may take the lock a
		 * POST holds while its handler waits to send (a deadlock).
		 */
		Scheduler scheduler();

	}

	Mono<Void> delete(ServerWebExchange exchange, HttpConnection connection) {
		connection.abort(null);
		connection.transportEnded(null);
		exchange.getResponse().setStatusCode(HttpStatus.ACCEPTED);
		return exchange.getResponse().setComplete();
	}

	/** What a poll ends with. */
	private enum Outcome {
		DATA, SUPERSEDED, CLOSED
	}

	/** The queue of one long-polling connection and its pending poll. */
	private static final class Polls extends BaseSubscriber<byte[]> {

		private final HttpConnection connection;

		private final Queue<byte[]> queue = new ArrayDeque<>();

		private boolean completed;

		private Sinks.@Nullable One<Outcome> pending;

		private long lastPollEndedNanos = System.nanoTime();

		Polls(HttpConnection connection) {
			this.connection = connection;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		protected void hookOnNext(byte[] data) {
			Sinks.One<Outcome> waiting;
			synchronized (this) {
				this.queue.add(data);
				waiting = this.pending;
				this.pending = null;
			}
			if (waiting != null) {
				waiting.tryEmitValue(Outcome.DATA);
			}
		}

		@Override
		protected void hookFinally(reactor.core.publisher.SignalType type) {
			Sinks.One<Outcome> waiting;
			synchronized (this) {
				this.completed = true;
				waiting = this.pending;
				this.pending = null;
			}
			if (waiting != null) {
				waiting.tryEmitValue(Outcome.CLOSED);
			}
		}

		void abort() {
			Sinks.One<Outcome> waiting;
			synchronized (this) {
				this.completed = true;
				this.queue.clear();
				waiting = this.pending;
				this.pending = null;
			}
			if (waiting != null) {
				waiting.tryEmitValue(Outcome.CLOSED);
			}
		}

		synchronized void pollEnded() {
			this.lastPollEndedNanos = System.nanoTime();
		}

		/**
		 * Ends the connection when its client has not polled for the disconnect timeout, or for the close
		 * timeout once the server closes it (a client that stopped polling does not collect its Close).
		 */
		void checkAbandoned() {
			ConnectionOptions options = this.connection.route().options();
			Duration timeout = (this.connection.isClosed()
					&& options.closeTimeout().compareTo(options.disconnectTimeout()) < 0) ? options.closeTimeout()
							: options.disconnectTimeout();
			boolean abandoned;
			synchronized (this) {
				abandoned = this.pending == null && System.nanoTime() - this.lastPollEndedNanos > timeout.toNanos();
			}
			if (abandoned) {
				this.connection.transportEnded(null);
			}
		}

		Mono<Void> poll(PollAnswer answer, Duration timeout) {
			Sinks.One<Outcome> previous;
			Sinks.One<Outcome> mine = null;
			byte @Nullable [] body = null;
			boolean closed = false;
			synchronized (this) {
				previous = this.pending;
				this.pending = null;
				if (!this.queue.isEmpty()) {
					body = drain();
				}
				else if (this.completed) {
					closed = true;
				}
				else {
					mine = Sinks.one();
					this.pending = mine;
				}
			}
			if (previous != null) {
				previous.tryEmitValue(Outcome.SUPERSEDED);
			}
			if (body != null) {
				return answer.data(body, type());
			}
			if (closed) {
				this.connection.transportEnded(null);
				return answer.noContent();
			}
			Sinks.One<Outcome> waiting = mine;
			// resumed by a task of its own (see PollAnswer.scheduler)
			Scheduler scheduler = answer.scheduler();
			Mono<Outcome> ended = waiting.asMono()
				.timeout(timeout, Mono.just(Outcome.DATA), scheduler)
				.publishOn(scheduler);
			return ended.flatMap((outcome) -> {
				if (outcome == Outcome.SUPERSEDED) {
					return answer.noContent();
				}
				byte[] data;
				synchronized (this) {
					if (this.pending == waiting) {
						this.pending = null;
					}
					data = drain();
				}
				if (data.length == 0 && outcome == Outcome.CLOSED) {
					this.connection.transportEnded(null);
					return answer.noContent();
				}
				return answer.data(data, type());
			}).doFinally((signal) -> {
				synchronized (this) {
					if (this.pending == waiting) {
						this.pending = null;
					}
				}
				pollEnded();
			});
		}

		private byte[] drain() {
			if (this.queue.size() == 1) {
				byte[] data = this.queue.poll();
				this.connection.written(data.length);
				return data;
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] data;
			while ((data = this.queue.poll()) != null) {
				out.write(data, 0, data.length);
				this.connection.written(data.length);
			}
			return out.toByteArray();
		}

		private MediaType type() {
			return (this.connection.transferFormat() == TransferFormat.BINARY) ? MediaType.APPLICATION_OCTET_STREAM
					: MediaType.TEXT_PLAIN;
		}
	}
}
