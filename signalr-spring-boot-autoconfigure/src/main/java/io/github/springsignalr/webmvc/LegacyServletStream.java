package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.legacy.LegacyTransport;

/**
 * The classic serverSentEvents and foreverFrame transports on an asynchronous servlet request: an event
 * stream ({@code data: initialized}, then one {@code data:} event per JSON object) or a forever frame (its
 * HTML prologue, then one script per JSON object), with {@code {}} keep-alives. Nothing goes out before the
 * hubs' OnConnected (protocol &lt; 1.4) or OnReconnected ran; what the connection writes is queued and
 * written by one task at a time on the write executor, each burst in one flush. A write that fails (the
 * client went away) detaches the stream, and the connection's disconnect timeout starts.
 */
final class LegacyServletStream implements LegacyTransport, AsyncListener {

	private static final Log logger = LogFactory.getLog(LegacyServletStream.class);

	private static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private final LegacyConnection connection;

	private final UnaryOperator<byte[]> framing;

	private final Executor writes;

	private final AsyncContext async;

	private final ServletOutputStream out;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	// under the lock:
	private boolean released;

	private boolean writing;

	private boolean ending;

	private boolean ended;

	private volatile @Nullable Disposable timer;

	private LegacyServletStream(LegacyConnection connection, UnaryOperator<byte[]> framing, Executor writes,
			AsyncContext async, ServletOutputStream out) {
		this.connection = connection;
		this.framing = framing;
		this.writes = writes;
		this.async = async;
		this.out = out;
	}

	/** An event stream attached to the connection ({@code /connect} or {@code /reconnect}). */
	static void eventStream(LegacyServletRequest request, LegacyConnection connection, boolean reconnect,
			Mono<Void> connected, LegacyOptions options, Executor writes) throws IOException {
		HttpServletResponse response = request.response();
		response.setContentType(EVENT_STREAM.toString());
		serve(request, response, connection, reconnect, connected, options, writes, TransportType.SERVER_SENT_EVENTS,
				LegacyFraming.INITIALIZED, LegacyFraming::event);
	}

	/**
	 * A forever frame attached to the connection ({@code /connect} or {@code /reconnect}): an HTML page
	 * whose prologue finds the client's frame {@code frameId}, then one script per message.
	 */
	static void foreverFrame(LegacyServletRequest request, LegacyConnection connection, boolean reconnect,
			Mono<Void> connected, LegacyOptions options, Executor writes, long frameId) throws IOException {
		// the client's page frames this response, and only a page of the same origin may. Spring Security's
		// header writer sets DENY on whatever the response has as it commits: the frame is written on the
		// container's own response, past the filters' wrappers (a stream has nothing for them to do)
		HttpServletResponse response = unwrapped(request.response());
		response.setContentType(HTML.toString());
		response.setHeader("X-Frame-Options", "SAMEORIGIN");
		serve(request, response, connection, reconnect, connected, options, writes, TransportType.FOREVER_FRAME,
				LegacyFraming.foreverFramePrologue(frameId), LegacyFraming::foreverFrameScript);
	}

	private static HttpServletResponse unwrapped(HttpServletResponse response) {
		ServletResponse unwrapped = response;
		while (unwrapped instanceof ServletResponseWrapper wrapper
				&& wrapper.getResponse() instanceof HttpServletResponse) {
			unwrapped = wrapper.getResponse();
		}
		return (HttpServletResponse) unwrapped;
	}

	private static void serve(LegacyServletRequest request, HttpServletResponse response, LegacyConnection connection,
			boolean reconnect, Mono<Void> connected, LegacyOptions options, Executor writes, TransportType type,
			byte[] prologue, UnaryOperator<byte[]> framing) throws IOException {
		response.setStatus(200);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader(HttpHeaders.CONTENT_ENCODING, "identity");
		String messageId = request.queryOrForm("messageId");
		AsyncContext async = request.request().startAsync(request.request(), request.response());
		async.setTimeout(0);
		ServletOutputStream out = response.getOutputStream();
		out.write(prologue);
		out.flush();
		LegacyServletStream stream = new LegacyServletStream(connection, framing, writes, async, out);
		async.addListener(stream);
		connection.attach(stream, type, messageId, reconnect);
		connected.subscribe(null, (ex) -> {
			logger.debug("A connection event of a classic connection failed", ex);
			stream.release(options);
		}, () -> stream.release(options));
	}

	/** The connection events ran: what is queued goes out, and the keep-alives (or the ConnectionTimeout) begin. */
	private void release(LegacyOptions options) {
		Duration keepAlive = options.keepAlive();
		this.timer = (keepAlive != null)
				? Schedulers.parallel()
					.schedulePeriodically(() -> write(LegacyFraming.KEEP_ALIVE), keepAlive.toMillis(), keepAlive.toMillis(),
							TimeUnit.MILLISECONDS)
				: Schedulers.parallel().schedule(this::end, options.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
		synchronized (this) {
			this.released = true;
			if (this.ended) {
				cancelTimer();
			}
		}
		schedule();
	}

	@Override
	public boolean write(byte[] json) {
		synchronized (this) {
			if (this.ending || this.ended) {
				return false;
			}
			this.queue.add(this.framing.apply(json));
		}
		schedule();
		return true;
	}

	@Override
	public void end() {
		synchronized (this) {
			this.ending = true;
		}
		schedule();
	}

	private void schedule() {
		synchronized (this) {
			if (!this.released || this.writing || this.ended) {
				return;
			}
			this.writing = true;
		}
		this.writes.execute(this::writeQueued);
	}

	/** Writes what is queued until nothing is; finishes once the connection ended the stream. */
	private void writeQueued() {
		while (true) {
			byte[][] batch;
			boolean finish = false;
			synchronized (this) {
				if (this.queue.isEmpty()) {
					this.writing = false;
					if (!this.ending) {
						return;
					}
					finish = true;
					batch = null;
				}
				else {
					batch = this.queue.toArray(new byte[0][]);
					this.queue.clear();
				}
			}
			if (finish) {
				finish();
				return;
			}
			try {
				for (byte[] piece : batch) {
					this.out.write(piece);
				}
				this.out.flush();
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Stream of classic connection " + this.connection.id() + " failed", ex);
				finish();
				return;
			}
		}
	}

	/** Ends the request and detaches the stream, once. */
	private void finish() {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			this.queue.clear();
		}
		cancelTimer();
		try {
			this.async.complete();
		}
		catch (IllegalStateException ex) {
			// the container ended the request already
		}
		this.connection.detach(this);
	}

	private void cancelTimer() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		finish();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		finish();
	}

	@Override
	public void onError(AsyncEvent event) {
		finish();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	@Override
	public String toString() {
		return "LegacyServletStream[" + this.connection.id() + "]";
	}
}
