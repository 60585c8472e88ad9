package io.github.springsignalr.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.metrics.SignalRMetrics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The first part of an {@link HttpConnection}: its identity, the state the send path reads, and its
 * outbound side: the bounded queue a transport drains (or the {@link HttpConnection.DirectOutbound} that
 * takes each message instead), the bytes queued, and the producers waiting for a short queue.
 * <p>
 * The parts of a connection are layers of one object ({@link HttpConnectionInbound},
 * {@link HttpConnectionTransport}, {@link HttpConnectionClosing}, {@link HttpConnection}): one allocation
 * per connection and no indirection on the send path, as when they were one class.
 */
abstract sealed class HttpConnectionOutbound implements Connection, ConnectionFeatures.Backpressure
		permits HttpConnectionInbound {

	private static final AtomicLongFieldUpdater<HttpConnectionOutbound> QUEUED_BYTES = AtomicLongFieldUpdater
		.newUpdater(HttpConnectionOutbound.class, "queuedBytes");

	@SuppressWarnings("unchecked")
	private static final AtomicReferenceFieldUpdater<HttpConnectionOutbound, Queue<Runnable>> WRITABLE_WAITERS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnectionOutbound.class,
					(Class<Queue<Runnable>>) (Class<?>) Queue.class, "writableWaiters");

	/** Queue length under which a paced producer may go on. */
	private static final long WRITABLE_BYTES = 64 * 1024;

	final String id;

	final String token;

	final ConnectionRoute endpoint;

	final ConnectionManager manager;

	volatile HttpConnection.State state = HttpConnection.State.NEGOTIATED;

	volatile boolean closing;

	/** When the server began to close the connection; under the lock, with {@link #closing}. */
	volatile long closingNanos;

	volatile @Nullable Throwable closeCause;

	/** The socket under the transport, when it tells what it holds unsent and can be aborted. */
	volatile HttpConnection.@Nullable TransportSocket socket;

	/**
	 * The queue a transport drains; created on first use: a transport that takes messages directly
	 * ({@link HttpConnection.DirectOutbound}) never needs one.
	 */
	private volatile Sinks.@Nullable Many<byte[]> outbound;

	/** The outbound side has ended (completed the queue or the direct outbound); under the lock. */
	private boolean outboundEnded;

	/** Bytes queued and not yet taken by the transport. */
	private volatile long queuedBytes;

	/** The transport that takes each message as it is sent, when it does; the queue is bypassed then. */
	private volatile HttpConnection.@Nullable DirectOutbound direct;

	private volatile @Nullable Queue<Runnable> writableWaiters;

	HttpConnectionOutbound(String id, String token, ConnectionRoute endpoint, ConnectionManager manager) {
		this.id = id;
		this.token = token;
		this.endpoint = endpoint;
		this.manager = manager;
	}

	@Override
	public String id() {
		return this.id;
	}

	/** The secret the client presents as {@code id} on transport requests. */
	public String token() {
		return this.token;
	}

	public ConnectionRoute route() {
		return this.endpoint;
	}

	public HttpConnection.State state() {
		return this.state;
	}

	/**
	 * Tells the connection the socket its transport writes to: what the socket holds unsent counts against
	 * the outbound buffer, and a connection the server closes whose Close cannot be written within the
	 * close timeout has its socket aborted.
	 */
	public void socket(HttpConnection.@Nullable TransportSocket socket) {
		this.socket = socket;
	}

	/**
	 * The data queued for the client, for the transport to write; one subscriber only. The transport
	 * reports what it has written with {@link #written(int)}.
	 */
	public Flux<byte[]> outbound() {
		synchronized (this) {
			return queue().asFlux();
		}
	}

	/** The outbound queue, created when first needed; under the lock. */
	private Sinks.Many<byte[]> queue() {
		Sinks.Many<byte[]> queue = this.outbound;
		if (queue == null) {
			queue = newOutbound();
			if (this.outboundEnded) {
				queue.tryEmitComplete();
			}
			this.outbound = queue;
		}
		return queue;
	}

	/** Ends the outbound side: completes the queue, or tells the direct outbound; under the lock. */
	final void endOutbound() {
		if (this.outboundEnded) {
			return;
		}
		this.outboundEnded = true;
		Sinks.Many<byte[]> queue = this.outbound;
		if (queue != null) {
			queue.tryEmitComplete();
		}
		HttpConnection.DirectOutbound direct = this.direct;
		if (direct != null) {
			direct.complete();
		}
	}

	/**
	 * The transport was lost and another may take its place: the outbound side ends for the old one and
	 * starts anew, empty, for the next; under the lock.
	 */
	final void restartOutbound() {
		this.socket = null;
		endOutbound();
		this.outbound = null;
		this.direct = null;
		this.outboundEnded = false;
		this.queuedBytes = 0;
	}

	/**
	 * Has {@code direct} take every message from now on, in place of a subscriber to {@link #outbound()}:
	 * what is queued already goes first, and the end of the queue (close, abort, overflow, a lost
	 * transport) reaches it as {@link HttpConnection.DirectOutbound#complete()}.
	 */
	public void outbound(HttpConnection.DirectOutbound direct) {
		synchronized (this) {
			Sinks.Many<byte[]> queue = this.outbound;
			if (queue != null) {
				// what was queued drains on this thread, under our lock: nothing can be sent in between
				queue.asFlux().subscribe(direct::send);
				this.outbound = null;
			}
			if (this.outboundEnded) {
				direct.complete();
			}
			else {
				this.direct = direct;
			}
		}
	}

	/** The transport has handed this many queued bytes to the network. */
	public void written(int bytes) {
		long queued = QUEUED_BYTES.addAndGet(this, -bytes);
		Queue<Runnable> waiters = this.writableWaiters;
		if (queued <= WRITABLE_BYTES && waiters != null && !waiters.isEmpty()) {
			Runnable waiter;
			while ((waiter = waiters.poll()) != null) {
				waiter.run();
			}
		}
	}

	/** The producers waiting for a short queue; created when the first one waits. */
	private Queue<Runnable> writableWaiters() {
		Queue<Runnable> waiters = this.writableWaiters;
		if (waiters == null) {
			WRITABLE_WAITERS.compareAndSet(this, null, new ConcurrentLinkedQueue<Runnable>());
			waiters = this.writableWaiters;
		}
		return waiters;
	}

	/**
	 * Runs {@code waiter} once the outbound queue is short (now, if it is): lets producers such as
	 * server-to-client streams go at the client's pace instead of filling the queue.
	 */
	@Override
	public void whenWritable(Runnable waiter) {
		if (this.queuedBytes <= WRITABLE_BYTES || this.closing) {
			waiter.run();
			return;
		}
		Queue<Runnable> waiters = writableWaiters();
		waiters.add(waiter);
		if (this.queuedBytes <= WRITABLE_BYTES || this.closing) {
			Runnable again = waiters.poll();
			if (again != null) {
				again.run();
			}
		}
	}

	/** Lets every waiting producer go: the connection has ended. */
	final void releaseWritableWaiters() {
		Queue<Runnable> waiters = this.writableWaiters;
		Runnable waiter;
		while (waiters != null && (waiter = waiters.poll()) != null) {
			waiter.run();
		}
	}

	/**
	 * The queue of messages for a transport to take. Its links are short: on Reactor Netty a WebSocket
	 * takes messages straight from {@link #send(byte[])} and this queue stays empty, and an idle
	 * connection should not carry the default first link of 256 slots (about 1 KB).
	 */
	private static Sinks.Many<byte[]> newOutbound() {
		return Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<byte[]>unbounded(16).get());
	}

	@Override
	public boolean send(byte[] data) {
		synchronized (this) {
			if (this.closing) {
				return false;
			}
			if (this.state == HttpConnection.State.RECONNECTING) {
				// nobody to send to; a stateful handler keeps the message for the client's return
				return true;
			}
			long queued = QUEUED_BYTES.addAndGet(this, data.length);
			HttpConnection.TransportSocket socket = this.socket;
			// what the socket holds unsent counts too: a client that does not read fills it first
			long unsent = (socket != null) ? queued + socket.unsentBytes() : queued;
			if (unsent > this.endpoint.options().outboundBufferSize() && unsent != data.length) {
				startClosing();
				this.closeCause = new OutboundBufferOverflowException(this.endpoint.options().outboundBufferSize());
				closeReason(SignalRMetrics.CloseReason.OVERFLOW);
				endOutbound();
			}
			else {
				HttpConnection.DirectOutbound direct = this.direct;
				if (direct != null) {
					direct.send(data);
				}
				else {
					queue().tryEmitNext(data);
				}
				return true;
			}
		}
		abortTransport();
		return false;
	}

	/** Bytes queued and not yet taken by the transport. */
	public long queuedBytes() {
		return this.queuedBytes;
	}

	/** The server begins to close the connection: the close timeout starts; under the lock. */
	final void startClosing() {
		this.closingNanos = System.nanoTime();
		this.closing = true;
	}

	/** Records why the server closes the connection, for metrics; the first reason stays. */
	public abstract void closeReason(SignalRMetrics.CloseReason reason);

	/** Ends the transport at once, dropping what it holds. */
	abstract void abortTransport();
}
