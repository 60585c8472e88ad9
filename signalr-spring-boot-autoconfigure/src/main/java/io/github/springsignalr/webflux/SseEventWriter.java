package io.github.springsignalr.webflux;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.util.concurrent.Queues;

import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.SendBatch;

/**
 * Writes a Server-Sent Events connection's messages straight to its Reactor Netty channel, each one event
 * as a chunk of the event-stream response, without a reactive chain per message: as {@link NettyFrameWriter}
 * does for WebSockets, messages sent from any thread are queued in order and the channel's event loop
 * writes whatever has accumulated in one pass with one flush (one task per event loop during a fan-out).
 * While the channel is not writable the messages stay queued and count against the connection's outbound
 * buffer. Started once the response's headers and opening comment are flushed.
 */
final class SseEventWriter extends ChannelInboundHandlerAdapter implements HttpConnection.DirectOutbound, Runnable {

	private static final String NAME = "signalr.sseWriter";

	private static final AtomicIntegerFieldUpdater<SseEventWriter> PASSES = AtomicIntegerFieldUpdater
		.newUpdater(SseEventWriter.class, "passes");

	private static final AtomicIntegerFieldUpdater<SseEventWriter> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(SseEventWriter.class, "ended");

	private final Channel channel;

	private final HttpConnection connection;

	/** Told once the stream has ended and what it wrote has reached the socket (or the channel closed). */
	private final Runnable done;

	private final Queue<byte[]> queue = Queues.<byte[]>unboundedMultiproducer().get();

	/** Requests for a pass on the event loop; a pass is scheduled when it goes from 0. */
	private volatile int passes;

	/** 1 once the writer has ended: nothing more is written. */
	private volatile int ended;

	private volatile boolean completed;

	SseEventWriter(Channel channel, HttpConnection connection, Runnable done) {
		this.channel = channel;
		this.connection = connection;
		this.done = done;
	}

	/** Takes the connection's messages from now on (what is queued already goes first). */
	void start() {
		this.channel.closeFuture().addListener((future) -> end());
		if (this.channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
			// told when the channel is writable again; a channel without the bridge is closed already
			this.channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, this);
		}
		this.connection.outbound(this);
	}

	/**
	 * Ends the stream: nothing more is written (what is still queued is dropped), and the response may end
	 * once what was written has reached the socket, as a reactive write would end; a client that stopped
	 * reading keeps it open until the connection aborts the socket.
	 */
	void end() {
		if (ENDED.compareAndSet(this, 0, 1)) {
			EventLoop loop = this.channel.eventLoop();
			if (loop.inEventLoop()) {
				ended();
			}
			else {
				loop.execute(this::ended);
			}
		}
	}

	private void ended() {
		removeHandler();
		// completes after every earlier write, or fails at once on a closed channel
		this.channel.writeAndFlush(new DefaultHttpContent(Unpooled.EMPTY_BUFFER))
			.addListener((future) -> this.done.run());
	}

	private void removeHandler() {
		if (this.channel.pipeline().context(this) != null) {
			this.channel.pipeline().remove(this);
		}
	}

	@Override
	public void send(byte[] data) {
		this.queue.offer(data);
		schedule();
	}

	@Override
	public void complete() {
		this.completed = true;
		schedule();
	}

	private void schedule() {
		if (PASSES.getAndIncrement(this) == 0) {
			EventLoop loop = this.channel.eventLoop();
			// during a fan-out, one task per event loop runs the passes of all its connections
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
			if (this.ended != 0) {
				this.queue.clear();
			}
			else if (writeQueued()) {
				this.channel.flush();
			}
			if (this.completed && this.queue.isEmpty()) {
				end();
			}
			missed = PASSES.addAndGet(this, -missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private boolean writeQueued() {
		boolean wrote = false;
		byte[] data;
		while (this.channel.isWritable() && (data = this.queue.poll()) != null) {
			this.channel.write(new DefaultHttpContent(LAST_EVENT.get().event(data, this.channel)),
					this.channel.voidPromise());
			this.connection.written(data.length);
			wrote = true;
		}
		return wrote;
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
		return "SseEventWriter[" + this.connection.id() + "]";
	}

	/** The event last written by each event loop: the recipients of a fan-out on that loop share its buffer. */
	private static final FastThreadLocal<LastEvent> LAST_EVENT = new FastThreadLocal<>() {
		@Override
		protected LastEvent initialValue() {
			return new LastEvent();
		}

		@Override
		protected void onRemoval(LastEvent value) {
			value.clear();
		}
	};

	/**
	 * One event loop's last one-line event, framed once into a direct buffer that later writes of the same
	 * message (the same array, with the same content: an application may reuse an array) duplicate.
	 */
	private static final class LastEvent {

		private byte @Nullable [] payload;

		private byte @Nullable [] event;

		private @Nullable ByteBuf buffer;

		ByteBuf event(byte[] data, Channel channel) {
			byte[] event = this.event;
			ByteBuf buffer = this.buffer;
			if (data == this.payload && event != null && buffer != null
					&& Arrays.equals(data, 0, data.length, event, PREFIX, PREFIX + data.length)) {
				return buffer.retainedDuplicate();
			}
			event = ServerSentEventsTransport.event(data);
			if (event.length != PREFIX + data.length + 4) {
				// several lines: written once, not kept
				return Unpooled.wrappedBuffer(event);
			}
			clear();
			buffer = channel.alloc().directBuffer(event.length).writeBytes(event);
			this.payload = data;
			this.event = event;
			this.buffer = buffer;
			return buffer.retainedDuplicate();
		}

		void clear() {
			ByteBuf buffer = this.buffer;
			this.buffer = null;
			this.payload = null;
			this.event = null;
			if (buffer != null) {
				buffer.release();
			}
		}

		/** {@code data: } */
		private static final int PREFIX = 6;
	}
}
