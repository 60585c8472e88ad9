package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;

/**
 * Kestrel's HTTP/1.1 read limits for a Reactor Netty server: a connection idle between requests is
 * closed after the keep-alive timeout, a request whose headers take longer than the headers timeout
 * and a request body arriving slower than the minimum data rate (after a grace period) are answered
 * 408 and closed; time while the application does not read the body (auto-read off: backpressure) does
 * not count against its rate. Nothing is timed while the application writes a response, so Server-Sent Events
 * streams and held long polls are never cut, and an upgraded WebSocket leaves these limits behind.
 * A zero duration or rate turns its limit off.
 *
 * @param keepAliveTimeout longest time without a request on an open connection
 * @param requestHeadersTimeout longest time from a request's first byte to the end of its headers
 * @param minRequestBodyDataRate fewest body bytes per second, averaged since the headers
 * @param minRequestBodyDataRateGracePeriod time a body is given before its rate is checked
 */
public record HttpRequestTimeouts(Duration keepAliveTimeout, Duration requestHeadersTimeout,
		long minRequestBodyDataRate, Duration minRequestBodyDataRateGracePeriod) {

	private static final Log logger = LogFactory.getLog(HttpRequestTimeouts.class);

	private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
			+ "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

	private static final String TIMER = "signalr.httpRequestTimeouts";

	private static final String FIRST_BYTE = "signalr.httpRequestFirstByte";

	/** Adds the limits to a new connection's pipeline; HTTP/2 connections (no HTTP/1.1 codec) are left alone. */
	public void install(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(TIMER) != null) {
			return;
		}
		Timer timer = new Timer(this);
		pipeline.addBefore(NettyPipeline.HttpCodec, FIRST_BYTE, timer.firstByte);
		pipeline.addAfter(NettyPipeline.HttpCodec, TIMER, timer);
	}

	private enum Phase {

		/** Between requests: waiting for the first byte of the next. */
		IDLE,

		/** A request's first bytes arrived; its headers are not complete. */
		HEADERS,

		/** The headers were read; the body is arriving. */
		BODY,

		/** The request was read; the application is answering (for as long as it likes). */
		RESPONDING

	}

	/** The timer of one connection, after the HTTP codec: it sees requests and responses as HTTP objects. */
	private static final class Timer extends ChannelDuplexHandler {

		private final HttpRequestTimeouts limits;

		/** Before the HTTP codec: tells the timer that the next request's first byte has arrived. */
		final ChannelInboundHandlerAdapter firstByte = new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (Timer.this.phase == Phase.IDLE) {
					enter(Phase.HEADERS);
				}
				ctx.fireChannelRead(msg);
			}
		};

		private @Nullable ChannelHandlerContext context;

		private Phase phase = Phase.IDLE;

		private boolean responding;

		private boolean responseStarted;

		private long phaseStart;

		/** When the body's data rate was last checked. */
		private long lastCheck;

		private long bodyBytes;

		/** Whether the phase has a deadline. */
		private boolean timed;

		/** When the phase's limit is next checked, if {@link #timed}. */
		private long deadline;

		/**
		 * The pending check, which may fire before the deadline (it then waits for it): moving a deadline
		 * later, as every request does, costs no timer.
		 */
		private @Nullable ScheduledFuture<?> check;

		/** When the pending check fires. */
		private long checkAt;

		Timer(HttpRequestTimeouts limits) {
			this.limits = limits;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.context = ctx;
			enter(Phase.IDLE);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest) {
				this.responseStarted = false;
				this.responding = true;
				this.bodyBytes = 0;
				enter(Phase.BODY);
			}
			if (msg instanceof HttpContent content && this.phase == Phase.BODY) {
				this.bodyBytes += content.content().readableBytes();
			}
			if (msg instanceof LastHttpContent && this.phase == Phase.BODY) {
				enter(this.responding ? Phase.RESPONDING : Phase.IDLE);
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (msg instanceof HttpResponse response) {
				if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
					// an upgraded WebSocket is no longer HTTP: its own keep-alive and client timeout apply
					leave(ctx);
					ctx.write(msg, promise);
					return;
				}
				if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
					// 100 Continue: the request is still being read, its response is still to come
					ctx.write(msg, promise);
					return;
				}
				this.responseStarted = true;
			}
			if (msg instanceof LastHttpContent) {
				this.responding = false;
				if (this.phase == Phase.RESPONDING) {
					enter(Phase.IDLE);
				}
			}
			ctx.write(msg, promise);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			cancel();
			ctx.fireChannelInactive();
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			cancel();
		}

		private void leave(ChannelHandlerContext ctx) {
			cancel();
			ChannelPipeline pipeline = ctx.pipeline();
			if (pipeline.context(this.firstByte) != null) {
				pipeline.remove(this.firstByte);
			}
			pipeline.remove(this);
		}

		private void enter(Phase phase) {
			this.phase = phase;
			this.phaseStart = System.nanoTime();
			this.lastCheck = this.phaseStart;
			this.timed = false;
			Duration first = switch (phase) {
				case IDLE -> this.limits.keepAliveTimeout;
				case HEADERS -> this.limits.requestHeadersTimeout;
				case BODY -> (this.limits.minRequestBodyDataRate > 0) ? this.limits.minRequestBodyDataRateGracePeriod
						: Duration.ZERO;
				case RESPONDING -> Duration.ZERO;
			};
			if (phase == Phase.BODY && this.limits.minRequestBodyDataRate > 0 && first.isZero()) {
				first = Duration.ofSeconds(1);
			}
			if (!first.isZero() && !first.isNegative()) {
				checkAt(this.phaseStart + first.toNanos());
			}
		}

		/** Checks the phase's limit at {@code deadline}; a check pending at or before it stays. */
		private void checkAt(long deadline) {
			this.timed = true;
			this.deadline = deadline;
			if (this.check != null && this.checkAt - deadline <= 0) {
				return;
			}
			cancel();
			ChannelHandlerContext ctx = this.context;
			if (ctx != null) {
				this.checkAt = deadline;
				this.check = ctx.executor().schedule(this::check, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			}
		}

		private void cancel() {
			ScheduledFuture<?> check = this.check;
			if (check != null) {
				check.cancel(false);
				this.check = null;
			}
		}

		private void check() {
			this.check = null;
			ChannelHandlerContext ctx = this.context;
			if (ctx == null || !ctx.channel().isActive() || !this.timed) {
				return;
			}
			if (System.nanoTime() - this.deadline < 0) {
				// the deadline moved on since this check was scheduled
				checkAt(this.deadline);
				return;
			}
			this.timed = false;
			long elapsed = System.nanoTime() - this.phaseStart;
			switch (this.phase) {
				case IDLE -> {
					logger.debug("Closing " + ctx.channel() + ": idle longer than the keep-alive timeout");
					ctx.close();
				}
				case HEADERS -> timeOut(ctx, "request headers took longer than the request headers timeout");
				case BODY -> {
					long now = System.nanoTime();
					if (!ctx.channel().config().isAutoRead()) {
						// the application is not reading (a POST waiting for its hub): as in Kestrel, the time
						// the body is held back by backpressure does not count against its rate
						this.phaseStart += now - this.lastCheck;
						elapsed = now - this.phaseStart;
					}
					this.lastCheck = now;
					double seconds = elapsed / 1e9;
					if (this.bodyBytes < this.limits.minRequestBodyDataRate * seconds) {
						timeOut(ctx, "request body arrived slower than the minimum data rate ("
								+ this.limits.minRequestBodyDataRate + " bytes/s)");
					}
					else {
						checkAt(now + TimeUnit.SECONDS.toNanos(1));
					}
				}
				case RESPONDING -> {
					// not timed
				}
			}
		}

		/** Answers 408 as Kestrel does unless a response was started, then closes. */
		private void timeOut(ChannelHandlerContext ctx, String reason) {
			logger.debug("Closing " + ctx.channel() + ": " + reason);
			ChannelHandlerContext raw = ctx.pipeline().context(this.firstByte);
			if (this.responseStarted || raw == null) {
				ctx.close();
				return;
			}
			// written under the codec: the response encoder's state belongs to the application's response
			raw.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
		}

	}
}
