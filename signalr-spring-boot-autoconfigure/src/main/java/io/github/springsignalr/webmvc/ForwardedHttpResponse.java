package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import io.github.springsignalr.cluster.RequestForwarding;

/**
 * The owner's answer to a forwarded HTTP request, relayed to the client of this node: its status and
 * end-to-end headers, then its body one chunk at a time, each flushed as it comes (an event stream's head
 * before its first event), the next chunk asked for once the previous one was written. A client that goes
 * away lets the owner's side go too (an event stream there ends).
 */
final class ForwardedHttpResponse implements Flow.Subscriber<List<ByteBuffer>>, AsyncListener {

	private static final Log logger = LogFactory.getLog(RequestForwardingServletFilter.class);

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final AsyncContext async;

	private final URI base;

	private volatile Flow.@Nullable Subscription subscription;

	private volatile boolean done;

	private volatile boolean stream;

	ForwardedHttpResponse(HttpServletRequest request, HttpServletResponse response, AsyncContext async, URI base) {
		this.request = request;
		this.response = response;
		this.async = async;
		this.base = base;
	}

	void start(HttpResponse<Flow.Publisher<List<ByteBuffer>>> answer) {
		this.response.setStatus(answer.statusCode());
		this.stream = answer.headers().firstValue(HttpHeaders.CONTENT_LENGTH).isEmpty();
		answer.headers().map().forEach((name, values) -> {
			if (!name.startsWith(":") && RequestForwarding.forwards(name, false)) {
				for (String value : values) {
					this.response.addHeader(name, value);
				}
			}
		});
		answer.body().subscribe(this);
	}

	void failed(Throwable ex) {
		logger.debug("Could not forward " + RequestForwardingServletFilter.logged(this.request) + " to " + this.base, ex);
		if (!this.response.isCommitted()) {
			try {
				this.response.reset();
				RequestForwardingServletFilter.answer(this.response, 404, RequestForwarding.NOT_FOUND);
			}
			catch (IOException | RuntimeException ignored) {
				// the client went away too
			}
		}
		end();
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (this.done) {
			subscription.cancel();
			return;
		}
		try {
			if (this.stream) {
				// the head of a stream (SSE) goes out before its first event
				this.response.flushBuffer();
			}
		}
		catch (IOException ex) {
			clientGone(ex);
			return;
		}
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> chunk) {
		try {
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
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.request(1);
		}
	}

	@Override
	public void onError(Throwable ex) {
		logger.debug("Forwarding " + RequestForwardingServletFilter.logged(this.request) + " to " + this.base + " ended with an error", ex);
		end();
	}

	@Override
	public void onComplete() {
		end();
	}

	private void clientGone(Exception ex) {
		logger.debug("The client of " + RequestForwardingServletFilter.logged(this.request) + " went away", ex);
		cancel();
		end();
	}

	private void cancel() {
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
	}

	private void end() {
		if (this.done) {
			return;
		}
		this.done = true;
		try {
			this.async.complete();
		}
		catch (IllegalStateException ex) {
			// completed by the container already (the client went away)
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		this.done = true;
		cancel();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		cancel();
		end();
	}

	@Override
	public void onError(AsyncEvent event) {
		// the client went away: the owner's side is let go too (an event stream there ends)
		this.done = true;
		cancel();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}
}
