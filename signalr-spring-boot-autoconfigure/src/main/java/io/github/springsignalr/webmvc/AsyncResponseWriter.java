package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.Executor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every SignalR response written over time on an asynchronous servlet request shares: it is written
 * with the servlet's non-blocking output, so that no thread waits for a client that reads slowly or not at
 * all. A subclass queues what it has to write and calls {@link #wake()}; one pass at a time, on the write
 * executor or the container's thread, takes what is queued ({@link #take()}) and writes and flushes it
 * while the container can take it; once the container holds some, the next pass waits for its
 * {@link #onWritePossible()}. {@link #sent()} tells the subclass when what it took has gone; the response
 * ends ({@link #ended()}, once) after the last piece, on an error, or when the container ends the request.
 * The subclass's state is guarded by the writer's own lock ({@code this}).
 */
abstract class AsyncResponseWriter implements WriteListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(AsyncResponseWriter.class);

	private final Executor writes;

	/**
	 * A pass writes, or the container holds data and will call {@link #onWritePossible()}: whoever holds
	 * this alone writes to the response; under the lock. Held until the container's first call.
	 */
	private boolean writing = true;

	/** The response has ended; under the lock. */
	private boolean ended;

	/** The response was aborted; under the lock. */
	private boolean aborted;

	/** The container holds (part of) what was last taken; by the writer only. */
	private volatile boolean held;

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletOutputStream out;

	/** The container's abort of the response, when it offers one (Tomcat, through its valve). */
	private volatile @Nullable Runnable containerAbort;

	AsyncResponseWriter(Executor writes) {
		this.writes = writes;
	}

	/**
	 * Begins writing: the container calls {@link #onWritePossible()} once it can take the first bytes. The
	 * writer is not added to the request's listeners: the caller adds it, or forwards the events to it.
	 */
	final void start(AsyncContext async, ServletOutputStream out, @Nullable Runnable containerAbort) {
		this.async = async;
		this.out = out;
		this.containerAbort = containerAbort;
		out.setWriteListener(this);
	}

	/**
	 * The next bytes to write (a whole batch of what is queued), {@code null} when nothing is queued; called
	 * under the lock by the pass that writes.
	 */
	protected abstract @Nullable Batch take();

	/** Whether the response ends once nothing is queued; called under the lock. */
	protected abstract boolean finished();

	/** The container has sent what {@link #take()} gave last. */
	protected void sent() {
	}

	/** The response has ended (written to its end, failed, or ended by the container); once. */
	protected abstract void ended();

	/** Asks for a pass, unless one is under way (it takes what was queued meanwhile) or the response ended. */
	protected final void wake() {
		synchronized (this) {
			if (this.ended || this.writing) {
				return;
			}
			this.writing = true;
		}
		this.writes.execute(this::writeQueued);
	}

	/** Whether a pass writes or the container holds data; under the lock. */
	protected final boolean busy() {
		return this.writing;
	}

	/** Whether the response has ended; under the lock. */
	protected final boolean isEnded() {
		return this.ended;
	}

	/**
	 * Drops the response at once, what the container holds included, through the container's abort when
	 * it offers one, and ends it. Once: the container's abort acts on whatever request its response serves
	 * by then.
	 */
	public final void abort() {
		Runnable abort = this.containerAbort;
		synchronized (this) {
			if (this.ended || this.aborted) {
				// the request is over; the container may have recycled its response for another one
				return;
			}
			this.aborted = true;
			if (abort != null) {
				// the container closes the connection (completing the request does not: what it holds stays);
				// it does not always report an error to the listeners. Under the lock: not once the request ended
				abort.run();
			}
		}
		endResponse();
	}

	/** The container has sent what it held and can take more: the writer's turn again. */
	@Override
	public final void onWritePossible() throws IOException {
		if (this.held) {
			this.held = false;
			sent();
		}
		writeQueued();
	}

	/**
	 * Writes what is queued, one batch at a time, until nothing is or the container holds some; ends the
	 * response once it is finished. Only the holder of {@link #writing} calls it.
	 */
	private void writeQueued() {
		ServletOutputStream out = this.out;
		try {
			while (true) {
				boolean finish;
				// the request is touched under the lock only, so never once it ended (ended and completed under
				// the same lock): the container recycles its response for another request
				synchronized (this) {
					if (this.ended) {
						return;
					}
					if (!out.isReady()) {
						// the container calls onWritePossible once it can take more
						return;
					}
					Batch batch = take();
					if (batch == null && !finished()) {
						this.writing = false;
						return;
					}
					finish = batch == null;
					if (!finish) {
						this.held = true;
						out.write(batch.buffer(), 0, batch.size());
						if (!out.isReady()) {
							// the container calls onWritePossible once it has sent what it holds
							return;
						}
						out.flush();
						if (!out.isReady()) {
							return;
						}
						this.held = false;
					}
				}
				if (finish) {
					// outside the lock: ended() may run the connection's callbacks
					endResponse();
					return;
				}
				// outside the lock: the subclass may run producers that were waiting for room
				sent();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Write of " + this + " failed", ex);
			endResponse();
		}
	}

	/** Ends the request and the response, once. */
	final void endResponse() {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			// completed before another thread can see it ended: a container listener that found the response
			// ended but the request not completed would let the container render its error page onto it
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
		ended();
	}

	@Override
	public void onError(Throwable error) {
		logger.debug("Write of " + this + " failed", error);
		endResponse();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		endResponse();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		endResponse();
	}

	@Override
	public void onError(AsyncEvent event) {
		endResponse();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/** The bytes of one write, handed to the container without a copy; a new one per write. */
	static final class Batch extends ByteArrayOutputStream {

		Batch() {
			super(256);
		}

		/** A batch of the given bytes, which are the batch's from then on. */
		Batch(byte[] bytes) {
			super(0);
			this.buf = bytes;
			this.count = bytes.length;
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
