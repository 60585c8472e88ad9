package io.github.springsignalr.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A connection's queue of data from the HTTP transports, for its handler, and the backpressure on it:
 * POSTs add their bodies to the queue one at a time, each once the queue has room for it, as the
 * reference's pipe holds a POST until the application has read enough. A POST that waits has not read its
 * body: it stays in the socket, and a client sending faster than its hub runs is slowed down through TCP.
 * <p>
 * The gate's lock is a leaf (the sink's, taken by the connection to emit, is another): nothing is called
 * while it is held, and a waiting POST is let go on another thread.
 */
final class InboundGate {

	/** The queue itself: POST bodies, and the failure of one over its limit. */
	final Sinks.Many<Object> sink;

	/** POSTs waiting for their turn, in arrival order. */
	private final ArrayDeque<Turn> waiting = new ArrayDeque<>(2);

	/** A POST holds the turn: it is reading its body into the queue. */
	private boolean busy;

	private boolean closed;

	/** Bytes in the inbound queue: received and not yet handled. */
	private long queued;

	InboundGate(Sinks.Many<Object> sink) {
		this.sink = sink;
	}

	/** One POST's place in line. */
	private static final class Turn {

		final long bytes;

		final long limit;

		/** Created when the POST waits: most never do. */
		Sinks.@Nullable One<Boolean> granted;

		/** Under the gate's lock. */
		boolean holding;

		Turn(long bytes, long limit) {
			this.bytes = bytes;
			this.limit = limit;
		}
	}

	/**
	 * Subscribes to {@code read} once it is this POST's turn and the queue has room for {@code bytes} (or is
	 * empty), to {@code closed} when the connection ends first; the turn passes on when {@code read}
	 * ends or the POST is canceled.
	 */
	<T> Mono<T> turn(long bytes, long limit, Mono<T> read, Mono<T> closed) {
		return Mono.defer(() -> {
			Turn turn = new Turn(bytes, limit);
			Boolean now = take(turn);
			Sinks.One<Boolean> waited = turn.granted;
			Mono<Boolean> granted = (now != null || waited == null) ? Mono.just(Boolean.TRUE.equals(now))
					: waited.asMono();
			return granted.flatMap((open) -> open ? read : closed).doFinally((signal) -> release(turn));
		});
	}

	/** The turn now ({@code true}), the connection is closed ({@code false}), or it waits ({@code null}). */
	private synchronized @Nullable Boolean take(Turn turn) {
		if (this.closed) {
			return false;
		}
		if (!this.busy && this.waiting.isEmpty() && fits(turn)) {
			this.busy = true;
			turn.holding = true;
			return true;
		}
		turn.granted = Sinks.one();
		this.waiting.add(turn);
		return null;
	}

	private boolean fits(Turn turn) {
		return this.queued == 0 || this.queued + turn.bytes <= turn.limit;
	}

	private void release(Turn turn) {
		synchronized (this) {
			if (turn.holding) {
				turn.holding = false;
				this.busy = false;
			}
			else {
				this.waiting.remove(turn);
			}
		}
		grant();
	}

	/** Data entered the queue. */
	synchronized void received(long bytes) {
		this.queued += bytes;
	}

	/** The handler is done with data of the queue: a waiting POST may fit now. */
	void handled(long bytes) {
		synchronized (this) {
			this.queued -= bytes;
			if (this.busy || this.waiting.isEmpty()) {
				return;
			}
		}
		grant();
	}

	/** Bytes received and not yet handled. */
	synchronized long queued() {
		return this.queued;
	}

	/** The connection ended: every waiting POST gets the closed answer. */
	void close() {
		List<Turn> turns;
		synchronized (this) {
			this.closed = true;
			turns = new ArrayList<>(this.waiting);
			this.waiting.clear();
		}
		for (Turn turn : turns) {
			letGo(turn, false);
		}
	}

	private void grant() {
		Turn next;
		synchronized (this) {
			next = this.waiting.peek();
			if (this.busy || this.closed || next == null || !fits(next)) {
				return;
			}
			this.waiting.poll();
			this.busy = true;
			next.holding = true;
		}
		letGo(next, true);
	}

	/** Another thread reads the body: the caller may be the handler, or hold a lock of the connection's. */
	private static void letGo(Turn turn, boolean open) {
		Sinks.One<Boolean> granted = turn.granted;
		if (granted != null) {
			Schedulers.parallel().schedule(() -> granted.tryEmitValue(open));
		}
	}
}
