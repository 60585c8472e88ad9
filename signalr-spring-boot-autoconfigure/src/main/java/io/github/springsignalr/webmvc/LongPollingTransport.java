package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The long-polling transport on asynchronous servlet requests, as on WebFlux: the first poll answers at
 * once; later polls are held until there is data (everything queued goes out in one body) or the poll
 * timeout passes; a newer poll ends an older one with 204; a closed connection answers 204; a
 * connection without a poll for the disconnect timeout is removed. A poll's messages are written with the
 * servlet's non-blocking output ({@link AsyncResponseWriter}): a client that stops reading its answer
 * holds no thread, and once its connection is removed (it polls no more) the answer is dropped.
 */
final class LongPollingTransport {

	private static final Log logger = LogFactory.getLog(LongPollingTransport.class);

	/** How much longer than the poll timeout the container may hold a poll before it gives up on it. */
	private static final long CONTAINER_TIMEOUT_MARGIN = TimeUnit.SECONDS.toMillis(30);

	private final Duration pollTimeout;

	private final Executor writes;

	LongPollingTransport(Duration pollTimeout, Executor writes) {
		this.pollTimeout = pollTimeout;
		this.writes = writes;
	}

	void connect(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		Polls polls = new Polls(connection, this.writes);
		if (!connection.attach(TransportType.LONG_POLLING, TransportRequests.describe(request),
				TransportRequests.authenticatedUser(request), polls::abort)) {
			TransportRequests.respond(response, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			return;
		}
		connection.items().put(Polls.class, polls);
		connection.onTransportHeartbeat(polls::checkAbandoned);
		connection.outbound(polls);
		connection.startReceiving();
		polls.pollEnded();
		TransportRequests.respond(response, HttpStatus.OK, MediaType.TEXT_PLAIN, "");
	}

	void poll(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		Object polls = connection.items().get(Polls.class);
		if (!(polls instanceof Polls state)) {
			TransportRequests.respond(response, HttpStatus.NO_CONTENT, MediaType.TEXT_PLAIN, "");
			return;
		}
		state.poll(request, response, this.pollTimeout);
	}

	void delete(HttpServletResponse response, HttpConnection connection) {
		connection.abort(null);
		connection.transportEnded(null);
		response.setStatus(HttpStatus.ACCEPTED.value());
		response.setContentLength(0);
	}

	/** What a poll ends with. */
	private enum Outcome {
		DATA, SUPERSEDED, CLOSED
	}

	/** A poll held open: its asynchronous request, ended once. */
	private static final class Pending {

		final AsyncContext async;

		final AtomicBoolean ended = new AtomicBoolean();

		volatile @Nullable Disposable timeout;

		/** The answer being written, once the poll has messages to answer with. */
		volatile Polls.@Nullable Answer answer;

		Pending(AsyncContext async) {
			this.async = async;
		}
	}

	/** The queue of one long-polling connection and its pending poll. */
	private static final class Polls implements HttpConnection.DirectOutbound {

		private final HttpConnection connection;

		private final Executor writes;

		private final Queue<byte[]> queue = new ArrayDeque<>();

		private boolean completed;

		private @Nullable Pending pending;

		private long lastPollEndedNanos = System.nanoTime();

		/** The answer the container is writing, if any: dropped when the connection is given up. */
		private volatile @Nullable Answer answering;

		Polls(HttpConnection connection, Executor writes) {
			this.connection = connection;
			this.writes = writes;
		}

		@Override
		public void send(byte[] data) {
			Pending waiting;
			synchronized (this) {
				this.queue.add(data);
				waiting = this.pending;
				this.pending = null;
			}
			end(waiting, Outcome.DATA);
		}

		@Override
		public void complete() {
			Pending waiting;
			synchronized (this) {
				this.completed = true;
				waiting = this.pending;
				this.pending = null;
			}
			end(waiting, Outcome.CLOSED);
		}

		void abort() {
			Pending waiting;
			synchronized (this) {
				this.completed = true;
				this.queue.clear();
				waiting = this.pending;
				this.pending = null;
			}
			end(waiting, Outcome.CLOSED);
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
				Answer answer = this.answering;
				if (answer != null) {
					// a client that does not read its answer: what the container holds for it is dropped
					answer.abort();
				}
				this.connection.transportEnded(null);
			}
		}

		void poll(HttpServletRequest request, HttpServletResponse response, Duration timeout) throws IOException {
			Pending previous;
			Pending mine = null;
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
					AsyncContext async = request.startAsync(request, response);
					async.setTimeout(timeout.toMillis() + CONTAINER_TIMEOUT_MARGIN);
					mine = new Pending(async);
					this.pending = mine;
				}
			}
			end(previous, Outcome.SUPERSEDED);
			if (body != null) {
				pollEnded();
				AsyncContext async = request.startAsync(request, response);
				async.setTimeout(timeout.toMillis() + CONTAINER_TIMEOUT_MARGIN);
				Answer answer = new Answer(body);
				async.addListener(answer);
				answer(async, answer);
				return;
			}
			if (closed) {
				pollEnded();
				this.connection.transportEnded(null);
				TransportRequests.respond(response, HttpStatus.NO_CONTENT, MediaType.TEXT_PLAIN, "");
				return;
			}
			Pending waiting = mine;
			waiting.async.addListener(new AsyncListener() {
				@Override
				public void onComplete(AsyncEvent event) {
					Answer answer = waiting.answer;
					if (answer != null) {
						answer.endResponse();
					}
				}

				@Override
				public void onTimeout(AsyncEvent event) {
					Answer answer = waiting.answer;
					if (answer != null) {
						// an answer its client has not read by now
						answer.abort();
						return;
					}
					ended(waiting, Outcome.DATA);
				}

				@Override
				public void onError(AsyncEvent event) {
					// the client went away: nothing to answer
					forget(waiting);
					Answer answer = waiting.answer;
					if (answer != null) {
						answer.endResponse();
					}
				}

				@Override
				public void onStartAsync(AsyncEvent event) {
				}
			});
			waiting.timeout = Schedulers.parallel()
				.schedule(() -> end(waiting, Outcome.DATA), timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		private void forget(Pending waiting) {
			if (waiting.ended.compareAndSet(false, true)) {
				synchronized (this) {
					if (this.pending == waiting) {
						this.pending = null;
					}
				}
				pollEnded();
			}
		}

		/**
		 * Ends a held poll on another thread: the one that ends the wait may hold the connection's lock (a
		 * send, a close, the abort of a DELETE), and writing may wait for the client.
		 */
		private void end(@Nullable Pending waiting, Outcome outcome) {
			if (waiting != null && !waiting.ended.get()) {
				this.writes.execute(() -> ended(waiting, outcome));
			}
		}

		private void ended(Pending waiting, Outcome outcome) {
			if (!waiting.ended.compareAndSet(false, true)) {
				return;
			}
			Disposable timer = waiting.timeout;
			if (timer != null) {
				timer.dispose();
			}
			HttpServletResponse response = (HttpServletResponse) waiting.async.getResponse();
			boolean answering = false;
			try {
				if (outcome == Outcome.SUPERSEDED) {
					TransportRequests.respond(response, HttpStatus.NO_CONTENT, MediaType.TEXT_PLAIN, "");
					return;
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
					TransportRequests.respond(response, HttpStatus.NO_CONTENT, MediaType.TEXT_PLAIN, "");
					return;
				}
				if (data.length > 0) {
					Answer answer = new Answer(data);
					waiting.answer = answer;
					answering = true;
					answer(waiting.async, answer);
					return;
				}
				TransportRequests.respond(response, HttpStatus.OK, type(), data);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Poll of connection " + this.connection.id() + " could not be answered", ex);
			}
			finally {
				synchronized (this) {
					if (this.pending == waiting) {
						this.pending = null;
					}
				}
				pollEnded();
				if (!answering) {
					try {
						waiting.async.complete();
					}
					catch (IllegalStateException ex) {
						// the container ended the request already (the client went away)
					}
				}
			}
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

		/**
		 * Answers a poll with its messages, 200 as {@link TransportRequests#respond} answers, the body written
		 * without blocking; the request ends once it has gone.
		 */
		private void answer(AsyncContext async, Answer answer) throws IOException {
			HttpServletResponse response = (HttpServletResponse) async.getResponse();
			response.setStatus(HttpStatus.OK.value());
			response.setContentType(type().toString());
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
			response.setContentLength(answer.length);
			this.answering = answer;
			answer.start(async, response.getOutputStream(),
					(async.getRequest().getAttribute(TomcatResponseAbortValve.ATTRIBUTE) instanceof Runnable abort) ? abort
							: null);
		}

		/** The messages of one poll, written once the container can take them. */
		private final class Answer extends AsyncResponseWriter {

			final int length;

			private @Nullable Batch body;

			Answer(byte[] body) {
				super(Polls.this.writes);
				this.length = body.length;
				this.body = new Batch(body);
			}

			@Override
			protected @Nullable Batch take() {
				Batch body = this.body;
				this.body = null;
				return body;
			}

			@Override
			protected boolean finished() {
				return true;
			}

			@Override
			protected void ended() {
				if (Polls.this.answering == this) {
					Polls.this.answering = null;
				}
				pollEnded();
			}

			@Override
			public String toString() {
				return "poll of connection " + Polls.this.connection.id();
			}
		}
	}
}
