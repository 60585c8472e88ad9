package io.github.springsignalr.webflux;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.util.concurrent.Queues;

import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * Writes a connection's outbound queue straight to its Reactor Netty channel, one WebSocket frame per
 * message, without the reactive send chain of the WebSocket session: messages sent from any thread are
 * queued in order, and the channel's event loop writes whatever has accumulated in one pass with one
 * flush. While the channel is not writable (its outbound buffer is past the high water mark) the
 * messages stay queued and count against the connection's outbound buffer; the pass resumes when the
 * channel is writable again. The same handler notes and answers the client's Close frame.
 */
final class NettyFrameWriter extends ChannelInboundHandlerAdapter implements HttpConnection.DirectOutbound, Runnable {

	private static final String NAME = "signalr.frameWriter";

	/** Set on a channel once the client has sent a Close frame: the socket did not just drop. */
	static final AttributeKey<Boolean> CLIENT_CLOSED = AttributeKey.valueOf("signalr.clientClosed");

	private final Channel channel;

	private final HttpConnection connection;

	/**
	 * What waits for the event loop, in order; created by the first message that has to wait (most of an idle
	 * connection's never do). Written by {@link #send} only, under the connection's lock.
	 */
	private volatile @Nullable Queue<byte[]> queue;

	private static final AtomicIntegerFieldUpdater<NettyFrameWriter> PASSES = AtomicIntegerFieldUpdater
		.newUpdater(NettyFrameWriter.class, "passes");

	private static final AtomicIntegerFieldUpdater<NettyFrameWriter> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(NettyFrameWriter.class, "ended");

	/** Requests for a pass on the event loop; a pass is scheduled when it goes from 0. */
	private volatile int passes;

	/** 1 once {@link #done} has run. */
	private volatile int ended;

	/** Told once: the queue has completed and everything in it was written, or the channel closed. */
	private final Runnable done;

	private volatile boolean completed;

	/** A frame was written outside a pass and waits for a flush; event loop only. */
	private boolean unflushed;

	/** The channel is reading (between a read and its read-complete); event loop only. */
	private boolean reading;

	private NettyFrameWriter(Channel channel, HttpConnection connection, Runnable done) {
		this.channel = channel;
		this.connection = connection;
		this.done = done;
	}

	/**
	 * Drains the connection's outbound queue into the channel.
	 * @param done run once the queue has completed and everything in it was written, or the channel closed
	 */
	static void start(Channel channel, HttpConnection connection, int generation, Runnable done) {
		if (connection.generation() != generation) {
			// another transport took the connection over (stateful reconnect) before this one began
			done.run();
			return;
		}
		NettyFrameWriter writer = new NettyFrameWriter(channel, connection, done);
		boolean inLoop = channel.eventLoop().inEventLoop();
		if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
			// told when the channel is writable again, and (added on the event loop) when it closes: no
			// listener on the close future; a channel without the bridge is closed already
			channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, writer);
		}
		else {
			inLoop = false;
		}
		if (!inLoop) {
			channel.closeFuture().addListener((future) -> writer.end());
		}
		else if (!channel.isActive()) {
			writer.end();
		}
		connection.outbound(writer);
	}

	private void end() {
		if (ENDED.compareAndSet(this, 0, 1)) {
			this.done.run();
		}
	}

	@Override
	public void send(byte[] data) {
		// calls are serialized by the connection's lock; on the event loop nothing else writes meanwhile
		Queue<byte[]> queue = this.queue;
		if ((queue == null || queue.isEmpty()) && this.channel.eventLoop().inEventLoop() && this.channel.isWritable()) {
			this.channel.write(frame(data), this.channel.voidPromise());
			this.connection.written(data.length);
			this.unflushed = true;
			if (this.reading) {
				// an answer to what the channel is reading: flushed once the read is complete
				return;
			}
			// the pass scheduled here only flushes
		}
		else {
			if (queue == null) {
				queue = Queues.<byte[]>unboundedMultiproducer().get();
				this.queue = queue;
			}
			queue.offer(data);
		}
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
			boolean wrote = false;
			byte[] data;
			Queue<byte[]> queue = this.queue;
			while (queue != null && this.channel.isWritable() && (data = queue.poll()) != null) {
				this.channel.write(frame(data), this.channel.voidPromise());
				this.connection.written(data.length);
				wrote = true;
			}
			if (wrote || this.unflushed) {
				this.unflushed = false;
				this.channel.flush();
			}
			if (this.completed) {
				// read again: a message sent before the completion may have created the queue meanwhile
				queue = this.queue;
				if (queue == null || queue.isEmpty()) {
					end();
				}
			}
			missed = PASSES.addAndGet(this, -missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private Object frame(byte[] data) {
		return (this.connection.transferFormat() == TransferFormat.BINARY)
				? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data))
				: new TextWebSocketFrame(Unpooled.wrappedBuffer(data));
	}

	/**
	 * Notes that the client sent a Close frame (the socket did not just drop), and answers one without a
	 * status code with 1000, as ASP.NET Core does; Reactor Netty otherwise mirrors the empty frame and the
	 * client sees 1005.
	 */
	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.reading = true;
		if (msg instanceof WebSocketFrame frame && !frame.isFinalFragment()) {
			UpgradedSocket.Netty.joinFragments(ctx, this.done);
		}
		if (msg instanceof CloseWebSocketFrame close) {
			ctx.channel().attr(CLIENT_CLOSED).set(Boolean.TRUE);
			if (close.isFinalFragment() && close.content().readableBytes() == 0) {
				int rsv = close.rsv();
				close.release();
				ctx.fireChannelRead(new CloseWebSocketFrame(true, rsv, WebSocketCloseStatus.NORMAL_CLOSURE.code(), null));
				return;
			}
		}
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
	public void channelInactive(ChannelHandlerContext ctx) {
		end();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		end();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		Queue<byte[]> queue = this.queue;
		if (ctx.channel().isWritable() && queue != null && !queue.isEmpty()) {
			schedule();
		}
		super.channelWritabilityChanged(ctx);
	}

	@Override
	public String toString() {
		return "NettyFrameWriter[" + this.connection.id() + "]";
	}
}
