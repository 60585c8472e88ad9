package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.connection.HttpConnection;

/**
 * The event stream of one connection on an asynchronous servlet response, written with the servlet's
 * non-blocking output: messages are queued as they are sent, and what is queued goes out as one write
 * and one flush whenever the container can take it. No thread waits for a client. While the container
 * still holds what was written (a client that reads slowly or not at all), those messages stay counted
 * against the connection's outbound buffer and the next ones wait in the queue until the container calls
 * {@link #onWritePossible()}; a connection that ends meanwhile ends its stream once what is held has gone,
 * or is aborted after its close timeout.
 */
final class EventStream implements HttpConnection.DirectOutbound, HttpConnection.TransportSocket, AsyncListener,
		WriteListener {

	private static final Log logger = LogFactory.getLog(ServerSentEventsTransport.class);

	private final HttpConnection connection;

	private final Executor writes;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	/**
	 * A pass writes, or the container holds data and will call {@link #onWritePossible()}: whoever holds
	 * this alone writes to the response; under the lock. Held until the container's first call.
	 */
	private boolean writing = true;

	/** Nothing more will be sent; under the lock. */
	private boolean completed;

	/** The stream has ended; under the lock. */
	private boolean ended;

	/** The heartbeat asked for a comment: the stream was idle; under the lock. */
	private boolean probe;

	/** The opening comment was written; by the writer only. */
	private boolean opened;

	/** Bytes of messages the container holds, reported as written once it has sent them; by the writer only. */
	private volatile long held;

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletOutputStream out;

	/** The container's abort of the response, when it offers one (Tomcat, through its valve). */
	private volatile @Nullable Runnable containerAbort;

	EventStream(HttpConnection connection, Executor writes) {
		this.connection = connection;
		this.writes = writes;
	}

	/** Begins writing: the container calls {@link #onWritePossible()} once it can take the first bytes. */
	void start(AsyncContext async, ServletOutputStream out, @Nullable Runnable containerAbort) {
		this.async = async;
		this.out = out;
		this.containerAbort = containerAbort;
		out.setWriteListener(this);
	}

	@Override
	public void send(byte[] data) {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.queue.add(data);
			if (this.writing) {
				return;
			}
			this.writing = true;
		}
		this.writes.execute(this::writeQueued);
	}

	@Override
	public void complete() {
		synchronized (this) {
			this.completed = true;
			if (this.writing) {
				return;
			}
			this.writing = true;
		}
		this.writes.execute(this::writeQueued);
	}

	/** On the heartbeat: a comment down a stream idle for a while, to learn whether its client is there. */
	void probe() {
		synchronized (this) {
			if (this.ended || this.writing
					|| System.nanoTime() - this.lastWriteNanos < ServerSentEventsTransport.PROBE_AFTER) {
				return;
			}
			this.writing = true;
			this.probe = true;
		}
		this.writes.execute(this::writeQueued);
	}

	/** The connection was aborted: what is queued is dropped, and the stream ends after what the container holds. */
	void dropQueued() {
		synchronized (this) {
			this.queue.clear();
		}
		complete();
	}

	/** What the container holds stays counted as queued until it has sent it (see {@link #held}). */
	@Override
	public long unsentBytes() {
		return 0;
	}

	/** The connection's close timeout has passed with data still held: the response is dropped at once. */
	@Override
	public void abort() {
		Runnable abort = this.containerAbort;
		synchronized (this) {
			if (this.ended) {
				// the request is over; the container may have recycled its response for another one
				return;
			}
			if (abort != null) {
				// the container closes the connection and reports the error to the listeners: the stream ends
				abort.run();
				return;
			}
		}
		end();
	}

	/** The container has sent what it held and can take more: the writer's turn again. */
	@Override
	public void onWritePossible() throws IOException {
		long held = this.held;
		if (held > 0) {
			this.held = 0;
			this.connection.written((int) held);
		}
		writeQueued();
	}

	/**
	 * Writes what is queued, one batch at a time, until nothing is or the container holds some; ends the
	 * stream once the connection has no more. Only the holder of {@link #writing} calls it.
	 */
	private void writeQueued() {
		ServletOutputStream out = this.out;
		try {
			while (true) {
				byte[][] batch;
				boolean probe;
				long written = 0;
				// the request is touched under the lock only, so never once it ended (ended and completed under the
				// same lock): the container recycles its response for another request
				synchronized (this) {
					if (this.ended) {
						return;
					}
					if (!out.isReady()) {
						// the container calls onWritePossible once it can take more
						return;
					}
					probe = this.probe || !this.opened;
					this.probe = false;
					if (this.queue.isEmpty() && !probe) {
						if (this.completed) {
							batch = null;
						}
						else {
							this.writing = false;
							return;
						}
					}
					else {
						batch = this.queue.toArray(new byte[0][]);
						this.queue.clear();
					}
					if (batch != null) {
						written = write(out, batch, probe);
						if (written < 0) {
							// the container calls onWritePossible once it has sent what it holds
							return;
						}
					}
				}
				if (batch == null) {
					end();
					return;
				}
				// outside the lock: the connection may run producers that were waiting for room
				this.connection.written((int) written);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Event stream of connection " + this.connection.id() + " failed", ex);
			end();
		}
	}

	/** Writes one batch and flushes it: its messages' bytes, or {@code -1} when the container holds some of it. */
	private long write(ServletOutputStream out, byte[][] batch, boolean comment) throws IOException {
		Events events = new Events();
		if (comment) {
			events.write(ServerSentEventsTransport.OPENING_COMMENT);
			this.opened = true;
		}
		long bytes = 0;
		for (byte[] data : batch) {
			ServerSentEventsTransport.writeEvent(events, data);
			bytes += data.length;
		}
		this.held = bytes;
		this.lastWriteNanos = System.nanoTime();
		out.write(events.buffer(), 0, events.size());
		if (!out.isReady()) {
			return -1;
		}
		out.flush();
		if (!out.isReady()) {
			return -1;
		}
		this.held = 0;
		return bytes;
	}

	/** Ends the request and the connection, once. */
	private void end() {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			this.queue.clear();
			// completed before another thread can see it ended: a listener of the container's that found it
			// ended but not completed would let the container render its error page onto the stream
			AsyncContext async = this.async;
			try {
				if (async != null) {
					async.complete();
				}
			}
			catch (IllegalStateException ex) {
				// the container ended the request already
			}
		}
		this.connection.transportEnded(null);
	}

	@Override
	public void onError(Throwable error) {
		logger.debug("Event stream of connection " + this.connection.id() + " failed", error);
		end();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		end();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		end();
	}

	@Override
	public void onError(AsyncEvent event) {
		end();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/** The bytes of one batch, handed to the container without a copy; a new one per batch. */
	private static final class Events extends ByteArrayOutputStream {

		Events() {
			super(256);
		}

		byte[] buffer() {
			return this.buf;
		}

		@Override
		public void write(byte[] b) {
			write(b, 0, b.length);
		}
	}
}
