package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.legacy.Jsonp;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;

/**
 * A classic long poll ({@code /poll}, or longPolling's {@code /reconnect}) on an asynchronous servlet
 * request: answered with one PersistentResponse as soon as the connection has messages after the
 * client's cursor, else after the ConnectionTimeout with none; a space every KeepAlive while it waits
 * (none with JSONP, whose answer is the script {@code callback(<json>);}). Written with the servlet's
 * non-blocking output ({@link AsyncResponseWriter}): a client that does not read its answer holds no
 * thread (a keep-alive space is skipped while the container still holds what was written). A client that
 * goes away leaves the connection to its disconnect timeout.
 */
final class LegacyLongPoll extends AsyncResponseWriter {

	/** How much longer than the ConnectionTimeout the container may hold a poll before it gives up on it. */
	private static final long CONTAINER_TIMEOUT_MARGIN = TimeUnit.SECONDS.toMillis(30);

	private final LegacyConnection connection;

	private final @Nullable String callback;

	/** The poll's subscription and its keep-alive timer. */
	private final Disposable.Composite subscriptions = Disposables.composite();

	/** Keep-alive spaces to write; under the lock. */
	private int spaces;

	/** The answer, until taken; under the lock. */
	private byte @Nullable [] answer;

	/** Answered, or given up; under the lock. */
	private boolean done;

	private LegacyLongPoll(LegacyConnection connection, @Nullable String callback, Executor writes) {
		super(writes);
		this.connection = connection;
		this.callback = callback;
	}

	/** Holds the request until the connection answers the poll. */
	static void poll(LegacyServletRequest request, LegacyConnection connection, LegacyOptions options,
			Executor writes) throws IOException {
		HttpServletResponse response = request.response();
		String callback = request.query("callback");
		response.setStatus(200);
		response.setContentType(
				((callback != null) ? LegacyServletRequest.JAVASCRIPT : LegacyServletRequest.JSON).toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
		response.setHeader("X-Accel-Buffering", "no");
		String messageId = request.queryOrForm("messageId");
		AsyncContext async = request.request().startAsync(request.request(), response);
		async.setTimeout(options.connectionTimeout().toMillis() + CONTAINER_TIMEOUT_MARGIN);
		ServletOutputStream out = response.getOutputStream();
		// the headers at once, as the reference flushes at the start of a poll (a response's first bytes never
		// wait for a client)
		out.flush();
		LegacyLongPoll poll = new LegacyLongPoll(connection, callback, writes);
		async.addListener(poll);
		poll.start(async, out, LegacyServletStream.containerAbort(request));
		Duration keepAlive = options.keepAlive();
		if (callback == null && keepAlive != null) {
			poll.subscriptions.add(Schedulers.parallel()
				.schedulePeriodically(poll::space, keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS));
		}
		poll.subscriptions.add(connection.poll(messageId).subscribe(poll::answer));
	}

	/** Writes the response; the request ends once it has gone. */
	private void answer(String json) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			String callback = this.callback;
			this.answer = LegacyFraming.utf8((callback != null) ? Jsonp.wrap(callback, json) : json);
		}
		this.subscriptions.dispose();
		wake();
	}

	/** The keep-alive: a space, which clients skip before the JSON; none while the last one is held. */
	private void space() {
		synchronized (this) {
			if (this.done || busy()) {
				return;
			}
			this.spaces++;
		}
		wake();
	}

	@Override
	protected @Nullable Batch take() {
		byte[] answer = this.answer;
		if (answer != null) {
			this.answer = null;
			this.spaces = 0;
			return new Batch(answer);
		}
		if (this.spaces > 0 && !this.done) {
			Batch spaces = new Batch();
			for (; this.spaces > 0; this.spaces--) {
				spaces.write(LegacyFraming.SPACE);
			}
			return spaces;
		}
		return null;
	}

	@Override
	protected boolean finished() {
		return this.done && this.answer == null;
	}

	/** Answered, or the client went away: the poll is given up (the connection's disconnect timeout starts). */
	@Override
	protected void ended() {
		synchronized (this) {
			this.done = true;
			this.answer = null;
		}
		this.subscriptions.dispose();
	}

	@Override
	public String toString() {
		return "poll of classic connection " + this.connection.id();
	}
}
