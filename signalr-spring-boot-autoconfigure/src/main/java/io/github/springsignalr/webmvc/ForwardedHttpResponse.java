package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import io.github.springsignalr.cluster.RequestForwarding;

/**
 * The answer to a request this node forwards, relayed to its client: the owner's status and end-to-end
 * headers, then its body one chunk at a time, each flushed as it comes (an event stream's head before its
 * first event), the next chunk asked for once the previous one was written; or this node's own answer when
 * the owner is not known or not reached. A client that goes away lets the owner's side go too (an event
 * stream there ends), and the request ends at once.
 * <p>
 * The relay writes from threads of its own while the container reports the client's departure on its
 * threads, and a request the container recycled must not be written to any more (its buffers serve the
 * next request): writing and completing share one lock, and nothing touches the request once it was
 * completed, by either side.
 */
final class ForwardedHttpResponse implements Flow.Subscriber<List<ByteBuffer>>, AsyncListener {

	private static final Log logger = LogFactory.getLog(RequestForwardingServletFilter.class);

	/** The request for log lines, taken while it is this one's (the container recycles it). */
	private final String logged;

	private final HttpServletResponse response;

	private final AsyncContext async;

	private final ReentrantLock lock = new ReentrantLock();

	/** Whether the request was completed (guarded by {@link #lock}). */
	private boolean completed;

	private volatile @Nullable URI base;

	private volatile Flow.@Nullable Subscription subscription;

	private volatile boolean stream;

	ForwardedHttpResponse(String logged, AsyncContext async) {
		this.logged = logged;
		this.async = async;
		this.response = (HttpServletResponse) async.getResponse();
	}

	/** Answers the client from this node (the owner is unknown or not known now) and ends the request. */
	void answer(int status, String text) {
		this.lock.lock();
		try {
			if (this.completed) {
				return;
			}
			try {
				RequestForwardingServletFilter.answer(this.response, status, text);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("The client of " + this.logged + " went away", ex);
			}
			complete();
		}
		finally {
			this.lock.unlock();
		}
	}

	void forwardingTo(URI base) {
		this.base = base;
	}

	void start(HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer) {
		this.lock.lock();
		try {
			if (!this.completed) {
				this.response.setStatus(answer.statusCode());
				this.stream = answer.headers().firstValue(HttpHeaders.CONTENT_LENGTH).isEmpty();
				answer.headers().map().forEach((name, values) -> {
					if (!name.startsWith(":") && RequestForwarding.forwards(name, false)) {
						for (String value : values) {
							this.response.addHeader(name, value);
						}
					}
				});
			}
		}
		catch (RuntimeException ex) {
			logger.debug("The client of " + this.logged + " went away", ex);
			complete();
		}
		finally {
			this.lock.unlock();
		}
		// subscribed even when the client is gone: the subscription, cancelled, lets the owner's side go
		answer.body().subscribe(this);
	}

	void failed(Throwable ex) {
		logger.debug("Could not forward " + this.logged + " to " + this.base, ex);
		this.lock.lock();
		try {
			if (this.completed) {
				return;
			}
			if (!this.response.isCommitted()) {
				try {
					this.response.reset();
					RequestForwardingServletFilter.answer(this.response, 404, RequestForwarding.NOT_FOUND);
				}
				catch (IOException | RuntimeException ignored) {
					// the client went away too
				}
			}
			complete();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		// set before the lock is taken: whoever completes then cancels it, or this sees the completion
		this.subscription = subscription;
		this.lock.lock();
		try {
			if (this.completed) {
				subscription.cancel();
				return;
			}
			if (this.stream) {
				// the head of a stream (SSE) goes out before its first event
				this.response.flushBuffer();
			}
		}
		catch (IOException | RuntimeException ex) {
			clientGone(ex);
			return;
		}
		finally {
			this.lock.unlock();
		}
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> chunk) {
		this.lock.lock();
		try {
			if (this.completed) {
				return;
			}
			OutputStream out = this.response.getOutputStream();
			for (ByteBuffer buffer : chunk) {
				byte[] bytes = new byte[buffer.remaining()];
				buffer.get(bytes);
				out.write(bytes);
			}
			out.flush();
		}
		catch (IOException | RuntimeException ex) {
			clientGone(ex);
			return;
		}
		finally {
			this.lock.unlock();
		}
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.request(1);
		}
	}

	@Override
	public void onError(Throwable ex) {
		logger.debug("Forwarding " + this.logged + " to " + this.base + " ended with an error", ex);
		complete();
	}

	@Override
	public void onComplete() {
		complete();
	}

	private void clientGone(Exception ex) {
		logger.debug("The client of " + this.logged + " went away", ex);
		complete();
		cancel();
	}

	private void cancel() {
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
	}

	/** Ends the request once, when no write is under way; nothing is written to it after. */
	private void complete() {
		this.lock.lock();
		try {
			if (this.completed) {
				return;
			}
			this.completed = true;
			this.async.complete();
		}
		catch (IllegalStateException ex) {
			// completed by the container already
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		this.lock.lock();
		try {
			this.completed = true;
		}
		finally {
			this.lock.unlock();
		}
		cancel();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		complete();
		cancel();
	}

	@Override
	public void onError(AsyncEvent event) {
		// the client went away: the request ends here (left open, the container renders its error page onto
		// the relayed head), and the owner's side is let go too (an event stream there ends)
		complete();
		cancel();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}
}
