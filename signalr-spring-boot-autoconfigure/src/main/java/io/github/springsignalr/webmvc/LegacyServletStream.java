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
 * written with the servlet's non-blocking output ({@link AsyncResponseWriter}), each burst in one flush,
 * so that a client that reads slowly or not at all holds no thread. A write that fails (the client went
 * away) detaches the stream, and the connection's disconnect timeout starts; so does a stream whose
 * client leaves more unsent than twice the connection's message buffer holds (its bytes), which is
 * dropped (its socket closed on Tomcat): a client that reads again reconnects from its cursor.
 */
final class LegacyServletStream extends AsyncResponseWriter implements LegacyTransport {

	private static final Log logger = LogFactory.getLog(LegacyServletStream.class);

	private static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private final LegacyConnection connection;

	private final UnaryOperator<byte[]> framing;

	/**
	 * The most bytes written but not yet sent before the stream is dropped: twice what the connection's
	 * message buffer holds, so that the replay of a whole buffer to a client that reconnects always fits.
	 */
	private final long limit;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	// under the lock:
	private boolean released;

	private boolean ending;

	/** Dropped for leaving too much unsent. */
	private boolean dropped;

	/** Bytes queued or taken and not yet sent. */
	private long unsent;

	/** Bytes of what was taken last, until sent. */
	private long taken;

	private volatile @Nullable Disposable timer;

	private LegacyServletStream(LegacyConnection connection, UnaryOperator<byte[]> framing, Executor writes,
			long limit) {
		super(writes);
		this.connection = connection;
		this.framing = framing;
		this.limit = limit;
	}

	/** The container's abort of the request's response (Tomcat, through its valve), if it offers one. */
	static @Nullable Runnable containerAbort(LegacyServletRequest request) {
		return (request.request().getAttribute(TomcatResponseAbortValve.ATTRIBUTE) instanceof Runnable abort) ? abort
				: null;
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
		// the prologue at once, before the connection events ran, and before the filters' wrappers finish:
		// Spring Security's header writer would set its X-Frame-Options on a response not yet committed. A
		// response's first bytes never wait for a client
		ServletOutputStream out = response.getOutputStream();
		out.write(prologue);
		out.flush();
		LegacyServletStream stream = new LegacyServletStream(connection, framing, writes,
				2 * options.messageBufferBytes());
		async.addListener(stream);
		stream.start(async, out, containerAbort(request));
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
				: Schedulers.parallel()
					.schedule(this::endStream, options.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
		synchronized (this) {
			this.released = true;
			if (isEnded()) {
				cancelTimer();
			}
		}
		wake();
	}

	@Override
	public boolean write(byte[] json) {
		boolean overflow;
		synchronized (this) {
			if (this.ending || this.dropped || isEnded()) {
				return false;
			}
			byte[] framed = this.framing.apply(json);
			this.queue.add(framed);
			this.unsent += framed.length;
			overflow = this.unsent > this.limit;
			this.dropped = overflow;
		}
		if (overflow) {
			logger.debug("Stream of classic connection " + this.connection.id()
					+ " dropped: its client left more unsent than the message buffer holds");
			abort();
			return false;
		}
		wake();
		return true;
	}

	@Override
	public void end() {
		endStream();
	}

	private void endStream() {
		synchronized (this) {
			this.ending = true;
		}
		wake();
	}

	/** Once released, everything queued as one batch. */
	@Override
	protected @Nullable Batch take() {
		if (!this.released || this.queue.isEmpty()) {
			return null;
		}
		Batch batch = new Batch();
		long bytes = 0;
		byte[] piece;
		while ((piece = this.queue.poll()) != null) {
			batch.write(piece);
			bytes += piece.length;
		}
		this.taken = bytes;
		return batch;
	}

	/** Ends once the connection ended the stream and what was queued has gone (after the release). */
	@Override
	protected boolean finished() {
		return this.released && this.ending;
	}

	@Override
	protected void sent() {
		synchronized (this) {
			this.unsent -= this.taken;
			this.taken = 0;
		}
	}

	/** Ends the request and detaches the stream, once. */
	@Override
	protected void ended() {
		synchronized (this) {
			this.queue.clear();
		}
		cancelTimer();
		this.connection.detach(this);
	}

	private void cancelTimer() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
		}
	}

	@Override
	public String toString() {
		return "LegacyServletStream[" + this.connection.id() + "]";
	}
}
