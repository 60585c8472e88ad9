package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.NettyPipeline;
import reactor.util.concurrent.Queues;

import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.legacy.LegacyTransport;

/**
 * A classic connection's WebSocket written straight to its Reactor Netty channel, one text frame per
 * JSON object, as {@link NettyFrameWriter} does for ASP.NET Core connections: what is written from any
 * thread is queued in order, and the channel's event loop writes whatever has accumulated in one pass
 * with one flush (during a fan-out, one task per event loop for all its connections: {@link SendBatch}).
 * Nothing goes out before {@link #release()} (the hubs' OnConnected or OnReconnected ran); then a
 * keep-alive {@code {}} every KeepAlive, or without keep-alive the channel ends after the
 * ConnectionTimeout. While the channel is not writable the frames stay queued, until it is again.
 */
final class LegacyFrameWriter extends ChannelInboundHandlerAdapter implements LegacyTransport, Runnable {

	private static final String NAME = "signalr.legacyFrameWriter";

	private static final AtomicIntegerFieldUpdater<LegacyFrameWriter> PASSES = AtomicIntegerFieldUpdater
		.newUpdater(LegacyFrameWriter.class, "passes");

	private static final AtomicIntegerFieldUpdater<LegacyFrameWriter> FINISHED = AtomicIntegerFieldUpdater
		.newUpdater(LegacyFrameWriter.class, "finished");

	private final Channel channel;

	private final LegacyOptions options;

	/** What waits for the event loop: JSON objects ({@code byte[]}) and buffered messages ({@link Envelope}). */
	private final Queue<Object> queue = Queues.<Object>unboundedMultiproducer().get();

	private final Sinks.Empty<Void> done = Sinks.empty();

	/** Requests for a pass on the event loop; a pass is scheduled when it goes from 0. */
	private volatile int passes;

	/** 1 once the writer has finished (ended and drained, or the channel closed). */
	private volatile int finished;

	/** Frames may go out: the connection events ran. */
	private volatile boolean released;

	/** The connection ended the channel: it finishes once what is queued went out. */
	private volatile boolean ending;

	/** A frame was written outside a pass and waits for a flush; event loop only. */
	private boolean unflushed;

	/** The channel is reading (between a read and its read-complete); event loop only. */
	private boolean reading;

	private volatile @Nullable ScheduledFuture<?> timer;

	private LegacyFrameWriter(Channel channel, LegacyOptions options) {
		this.channel = channel;
		this.options = options;
	}

	/** A writer on the channel of an upgraded WebSocket. */
	static LegacyFrameWriter start(Channel channel, LegacyOptions options) {
		LegacyFrameWriter writer = new LegacyFrameWriter(channel, options);
		channel.closeFuture().addListener((future) -> writer.finish());
		if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
			// told when the channel is writable again and when a read completes
			channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, writer);
		}
		return writer;
	}

	/** Completes once the writer has finished: ended by the connection and drained, or the channel closed. */
	Mono<Void> finished() {
		return this.done.asMono();
	}

	/** The connection events ran: what is queued goes out, and the keep-alives (or the ConnectionTimeout) begin. */
	void release() {
		Duration keepAlive = this.options.keepAlive();
		EventLoop loop = this.channel.eventLoop();
		this.timer = (keepAlive != null)
				? loop.scheduleAtFixedRate(() -> write(LegacyFraming.KEEP_ALIVE), keepAlive.toNanos(), keepAlive.toNanos(),
						TimeUnit.NANOSECONDS)
				: loop.schedule(this::end, this.options.connectionTimeout().toNanos(), TimeUnit.NANOSECONDS);
		this.released = true;
		if (this.finished == 1) {
			cancelTimer();
		}
		schedule();
	}

	@Override
	public boolean write(byte[] json) {
		return offer(json);
	}

	/** A buffered message: its response is written on the event loop straight into a pooled buffer. */
	@Override
	public boolean write(byte[] cursorPrefix, long seq, byte[] json) {
		return offer(new Envelope(cursorPrefix, seq, json));
	}

	private boolean offer(Object json) {
		if (this.ending || this.finished == 1) {
			return false;
		}
		if (this.released && this.queue.isEmpty() && this.channel.eventLoop().inEventLoop()
				&& this.channel.isWritable()) {
			this.channel.write(frame(json), this.channel.voidPromise());
			this.unflushed = true;
			if (this.reading) {
				// an answer to what the channel is reading: flushed once the read is complete
				return true;
			}
			// the pass scheduled here only flushes
		}
		else {
			this.queue.offer(json);
		}
		schedule();
		return true;
	}

	@Override
	public void end() {
		this.ending = true;
		schedule();
	}

	private void schedule() {
		if (PASSES.getAndIncrement(this) == 0) {
			EventLoop loop = this.channel.eventLoop();
			if (!SendBatch.defer(loop, this)) {
				loop.execute(this);
			}
		}
	}

	/** A pass on the event loop: writes what is queued while the channel takes it, then flushes once. */
	@Override
	public void run() {
		int missed = this.passes;
		while (true) {
			if (this.released) {
				boolean wrote = false;
				Object json;
				while (this.channel.isWritable() && (json = this.queue.poll()) != null) {
					this.channel.write(frame(json), this.channel.voidPromise());
					wrote = true;
				}
				if (wrote || this.unflushed) {
					this.unflushed = false;
					this.channel.flush();
				}
				if (this.ending && this.queue.isEmpty()) {
					finish();
				}
			}
			missed = PASSES.addAndGet(this, -missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private void finish() {
		if (FINISHED.compareAndSet(this, 0, 1)) {
			cancelTimer();
			this.done.tryEmitEmpty();
		}
	}

	private void cancelTimer() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			timer.cancel(false);
		}
	}

	private TextWebSocketFrame frame(Object json) {
		if (json instanceof Envelope envelope) {
			return new TextWebSocketFrame(envelope.write(this.channel.alloc()));
		}
		return new TextWebSocketFrame(Unpooled.wrappedBuffer((byte[]) json));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.reading = true;
		ctx.fireChannelRead(msg);
	}

	/** Flushes what was written in answer to the frames just read: one flush per read, no task. */
	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.reading = false;
		if (this.unflushed) {
			this.unflushed = false;
			ctx.channel().flush();
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		if (ctx.channel().isWritable() && !this.queue.isEmpty()) {
			schedule();
		}
		super.channelWritabilityChanged(ctx);
	}

	@Override
	public String toString() {
		return "LegacyFrameWriter[" + this.channel + "]";
	}

	/**
	 * A buffered message waiting for the event loop: written {@code {"C":"<cursorPrefix><seq in hex>","M":[<json>]}}
	 * straight into a direct buffer (no array per recipient, and none for the socket to copy again).
	 */
	private record Envelope(byte[] cursorPrefix, long seq, byte[] json) {

		private static final byte[] OPEN = ascii("{\"C\":\"");

		private static final byte[] MESSAGES = ascii("\",\"M\":[");

		private static final byte[] CLOSE = ascii("]}");

		private static final byte[] HEX = ascii("0123456789abcdef");

		ByteBuf write(ByteBufAllocator allocator) {
			int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(this.seq)) / 4);
			ByteBuf response = allocator.directBuffer(OPEN.length + this.cursorPrefix.length + digits + MESSAGES.length
					+ this.json.length + CLOSE.length);
			response.writeBytes(OPEN).writeBytes(this.cursorPrefix);
			for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
				response.writeByte(HEX[(int) (this.seq >>> shift) & 0xF]);
			}
			return response.writeBytes(MESSAGES).writeBytes(this.json).writeBytes(CLOSE);
		}

		private static byte[] ascii(String text) {
			return text.getBytes(StandardCharsets.US_ASCII);
		}
	}
}
