package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;

/**
 * The Server-Sent Events transport on an asynchronous servlet request: the event-stream GET carries every
 * message to the client, each payload one event, what is queued at once written in one flush; the
 * client's data comes in POSTs. The stream ends when the connection does, and a stream that fails (the
 * client went away) ends the connection.
 * <p>
 * A servlet container does not notice a client that went away from an idle asynchronous response (Reactor
 * Netty does): a stream idle for {@link #PROBE_AFTER} gets an SSE comment on the heartbeat, which every
 * client skips, so that a dropped stream fails a write and ends its connection within seconds.
 */
final class ServerSentEventsTransport {

	private static final Log logger = LogFactory.getLog(ServerSentEventsTransport.class);

	private static final byte[] OPENING_COMMENT = ":\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CRLF = { '\r', '\n' };

	/** How long a stream may be idle before the heartbeat probes it with a comment. */
	static final long PROBE_AFTER = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

	private final Executor writes;

	ServerSentEventsTransport(Executor writes) {
		this.writes = writes;
	}

	void handle(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		EventStream stream = new EventStream(connection, this.writes);
		if (!connection.attach(TransportType.SERVER_SENT_EVENTS, TransportRequests.describe(request),
				TransportRequests.authenticatedUser(request), stream::abort)) {
			TransportRequests.respond(response, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			return;
		}
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader(HttpHeaders.CONTENT_ENCODING, "identity");
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(0);
		async.addListener(stream);
		stream.start(async, response.getOutputStream());
		connection.onTransportHeartbeat(stream::probe);
		connection.outbound(stream);
		connection.startReceiving();
	}

	/** One SSE event: every line of the payload prefixed with {@code data: }, lines ended with CRLF. */
	static void writeEvent(OutputStream out, byte[] payload) throws IOException {
		int start = 0;
		for (int i = 0; i <= payload.length; i++) {
			if (i == payload.length || payload[i] == '\n') {
				int end = i;
				if (end > start && payload[end - 1] == '\r') {
					end--;
				}
				out.write(DATA);
				out.write(payload, start, end - start);
				out.write(CRLF);
				start = i + 1;
			}
		}
		out.write(CRLF);
	}

	/**
	 * The stream of one connection: messages are queued as they are sent and written by one task at a time
	 * on the write executor, each burst in one flush.
	 */
	private static final class EventStream implements HttpConnection.DirectOutbound, AsyncListener {

		private final HttpConnection connection;

		private final Executor writes;

		private final Queue<byte[]> queue = new ArrayDeque<>();

		/** A task is writing or about to; under the lock. */
		private boolean writing;

		/** Nothing more will be sent; under the lock. */
		private boolean completed;

		/** The stream has ended; under the lock. */
		private boolean ended;

		/** The heartbeat asked for a comment: the stream was idle; under the lock. */
		private boolean probe;

		private volatile long lastWriteNanos = System.nanoTime();

		private volatile @Nullable AsyncContext async;

		private volatile @Nullable ServletOutputStream out;

		EventStream(HttpConnection connection, Executor writes) {
			this.connection = connection;
			this.writes = writes;
		}

		void start(AsyncContext async, ServletOutputStream out) throws IOException {
			this.async = async;
			this.out = out;
			synchronized (this) {
				this.writing = true;
			}
			try {
				out.write(OPENING_COMMENT);
				out.flush();
			}
			catch (IOException ex) {
				end();
				throw ex;
			}
			writeQueued();
		}

		@Override
		public void send(byte[] data) {
			synchronized (this) {
				if (this.ended) {
					return;
				}
				this.queue.add(data);
				if (this.writing || this.async == null) {
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
				if (this.writing || this.async == null) {
					return;
				}
				this.writing = true;
			}
			this.writes.execute(this::writeQueued);
		}

		/** On the heartbeat: a comment down a stream idle for a while, to learn whether its client is there. */
		void probe() {
			synchronized (this) {
				if (this.ended || this.writing || this.async == null
						|| System.nanoTime() - this.lastWriteNanos < PROBE_AFTER) {
					return;
				}
				this.writing = true;
				this.probe = true;
			}
			this.writes.execute(this::writeQueued);
		}

		void abort() {
			synchronized (this) {
				this.queue.clear();
			}
			complete();
		}

		/** Writes what is queued until nothing is; ends the stream once the connection has no more. */
		private void writeQueued() {
			while (true) {
				byte[][] batch;
				boolean probe;
				synchronized (this) {
					probe = this.probe;
					this.probe = false;
					if (this.queue.isEmpty() && !probe) {
						this.writing = false;
						if (!this.completed) {
							return;
						}
						batch = null;
					}
					else if (this.queue.isEmpty()) {
						batch = new byte[0][];
					}
					else {
						batch = this.queue.toArray(new byte[0][]);
						this.queue.clear();
					}
				}
				if (batch == null) {
					end();
					return;
				}
				ServletOutputStream out = this.out;
				try {
					if (batch.length == 0) {
						out.write(OPENING_COMMENT);
					}
					for (byte[] data : batch) {
						writeEvent(out, data);
						this.connection.written(data.length);
					}
					out.flush();
					this.lastWriteNanos = System.nanoTime();
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Event stream of connection " + this.connection.id() + " failed", ex);
					end();
					return;
				}
			}
		}

		/** Ends the request and the connection, once. */
		private void end() {
			synchronized (this) {
				if (this.ended) {
					return;
				}
				this.ended = true;
				this.queue.clear();
			}
			AsyncContext async = this.async;
			try {
				if (async != null) {
					async.complete();
				}
			}
			catch (IllegalStateException ex) {
				// the container ended the request already
			}
			this.connection.transportEnded(null);
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
	}
}
