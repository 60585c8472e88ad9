package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.connection.HttpConnection;

/**
 * The event stream of one connection on an asynchronous servlet response, written with the servlet's
 * non-blocking output ({@link AsyncResponseWriter}): messages are queued as they are sent, and what is
 * queued goes out as one write and one flush whenever the container can take it. No thread waits for a
 * client. While the container still holds what was written (a client that reads slowly or not at all),
 * those messages stay counted against the connection's outbound buffer and the next ones wait in the
 * queue until the container can take more; a connection that ends meanwhile ends its stream once what is
 * held has gone, or is aborted after its close timeout.
 */
final class EventStream extends AsyncResponseWriter
		implements HttpConnection.DirectOutbound, HttpConnection.TransportSocket {

	private final HttpConnection connection;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	/** Nothing more will be sent; under the lock. */
	private boolean completed;

	/** The heartbeat asked for a comment: the stream was idle; under the lock. */
	private boolean probe;

	/** The opening comment was written; by the writer only. */
	private boolean opened;

	/** Bytes of the messages last taken, reported as written once the container has sent them. */
	private volatile long taken;

	private volatile long lastWriteNanos = System.nanoTime();

	EventStream(HttpConnection connection, Executor writes) {
		super(writes);
		this.connection = connection;
	}

	@Override
	public void send(byte[] data) {
		synchronized (this) {
			if (isEnded()) {
				return;
			}
			this.queue.add(data);
		}
		wake();
	}

	@Override
	public void complete() {
		synchronized (this) {
			this.completed = true;
		}
		wake();
	}

	/** On the heartbeat: a comment down a stream idle for a while, to learn whether its client is there. */
	void probe() {
		synchronized (this) {
			if (isEnded() || busy()
					|| System.nanoTime() - this.lastWriteNanos < ServerSentEventsTransport.PROBE_AFTER) {
				return;
			}
			this.probe = true;
		}
		wake();
	}

	/** The connection was aborted: what is queued is dropped, and the stream ends after what the container holds. */
	void dropQueued() {
		synchronized (this) {
			this.queue.clear();
		}
		complete();
	}

	/** What the container holds stays counted as queued until it has sent it (see {@link #taken}). */
	@Override
	public long unsentBytes() {
		return 0;
	}

	/** One batch: the opening comment (or a probe's), then every queued message as an event. */
	@Override
	protected @Nullable Batch take() {
		boolean comment = this.probe || !this.opened;
		this.probe = false;
		if (this.queue.isEmpty() && !comment) {
			return null;
		}
		Batch events = new Batch();
		try {
			if (comment) {
				events.write(ServerSentEventsTransport.OPENING_COMMENT);
				this.opened = true;
			}
			long bytes = 0;
			byte[] data;
			while ((data = this.queue.poll()) != null) {
				ServerSentEventsTransport.writeEvent(events, data);
				bytes += data.length;
			}
			this.taken = bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.lastWriteNanos = System.nanoTime();
		return events;
	}

	@Override
	protected boolean finished() {
		return this.completed;
	}

	@Override
	protected void sent() {
		long bytes = this.taken;
		if (bytes > 0) {
			this.taken = 0;
			this.connection.written((int) bytes);
		}
	}

	@Override
	protected void ended() {
		synchronized (this) {
			this.queue.clear();
		}
		this.connection.transportEnded(null);
	}

	@Override
	public String toString() {
		return "event stream of connection " + this.connection.id();
	}
}
