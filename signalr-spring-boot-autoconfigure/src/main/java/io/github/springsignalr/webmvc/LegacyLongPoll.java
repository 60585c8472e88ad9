package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * (none with JSONP, whose answer is the script {@code callback(<json>);}). A client that goes away
 * leaves the connection to its disconnect timeout.
 */
final class LegacyLongPoll implements AsyncListener {

	private static final Log logger = LogFactory.getLog(LegacyLongPoll.class);

	/** How much longer than the ConnectionTimeout the container may hold a poll before it gives up on it. */
	private static final long CONTAINER_TIMEOUT_MARGIN = TimeUnit.SECONDS.toMillis(30);

	private final LegacyConnection connection;

	private final AsyncContext async;

	private final ServletOutputStream out;

	private final @Nullable String callback;

	private final Executor writes;

	/** The poll's subscription and its keep-alive timer. */
	private final Disposable.Composite subscriptions = Disposables.composite();

	/** Answered, or given up; under the lock. */
	private boolean done;

	private LegacyLongPoll(LegacyConnection connection, AsyncContext async, ServletOutputStream out,
			@Nullable String callback, Executor writes) {
		this.connection = connection;
		this.async = async;
		this.out = out;
		this.callback = callback;
		this.writes = writes;
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
		// headers at once, as the reference flushes at the start of a poll
		out.flush();
		LegacyLongPoll poll = new LegacyLongPoll(connection, async, out, callback, writes);
		async.addListener(poll);
		Duration keepAlive = options.keepAlive();
		if (callback == null && keepAlive != null) {
			poll.subscriptions.add(Schedulers.parallel()
				.schedulePeriodically(() -> writes.execute(poll::space), keepAlive.toMillis(), keepAlive.toMillis(),
						TimeUnit.MILLISECONDS));
		}
		poll.subscriptions.add(connection.poll(messageId).subscribe((json) -> writes.execute(() -> poll.answer(json))));
	}

	/** Writes the response and ends the request. */
	private void answer(String json) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			this.subscriptions.dispose();
			try {
				String callback = this.callback;
				this.out.write(LegacyFraming.utf8((callback != null) ? Jsonp.wrap(callback, json) : json));
				this.out.flush();
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Poll of classic connection " + this.connection.id() + " could not be answered", ex);
			}
		}
		complete();
	}

	/** The keep-alive: a space, which clients skip before the JSON. */
	private void space() {
		synchronized (this) {
			if (this.done) {
				return;
			}
			try {
				this.out.write(LegacyFraming.SPACE);
				this.out.flush();
				return;
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Poll of classic connection " + this.connection.id() + " failed", ex);
			}
		}
		gone();
	}

	/** The client went away: the poll is given up (the connection's disconnect timeout starts). */
	private void gone() {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
		}
		this.subscriptions.dispose();
		complete();
	}

	private void complete() {
		try {
			this.async.complete();
		}
		catch (IllegalStateException ex) {
			// the container ended the request already
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		gone();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		gone();
	}

	@Override
	public void onError(AsyncEvent event) {
		gone();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}
}
