package io.github.springsignalr.bench.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

/**
 * Writes messages to peers the way the best hand-written Netty server would: on the peer's own event loop a
 * message is written at once; for other loops, each fan-out hands every loop one batch (its peers and the one
 * shared, serialized message), and a loop drains whatever batches have accumulated in one task. Every peer is
 * flushed once per unit of work on its loop (the end of a read, of a drained inbox, of a POST), however many
 * messages it got.
 */
final class Fanout {

	private static final ConcurrentHashMap<EventLoop, Inbox> INBOXES = new ConcurrentHashMap<>();

	/** Peers written on this loop since its unit of work began. */
	private static final FastThreadLocal<List<Peer>> UNFLUSHED = new FastThreadLocal<>() {
		@Override
		protected List<Peer> initialValue() {
			return new ArrayList<>();
		}
	};

	private Fanout() {
	}

	static Inbox inbox(EventLoop loop) {
		return INBOXES.computeIfAbsent(loop, Inbox::new);
	}

	/** Writes {@code message} (its reference passes on) to one peer, from any thread. */
	static void send(Peer peer, ByteBuf message) {
		if (peer.inbox.loop.inEventLoop()) {
			write(peer, message);
		}
		else {
			peer.inbox.offer(List.of(peer), message);
		}
	}

	/**
	 * Writes the shared {@code message} (its reference passes on) to every peer: those of this loop at once,
	 * the others' in one batch per loop.
	 */
	static void sendAll(Iterable<? extends Peer> peers, ByteBuf message) {
		List<Inbox> inboxes = new ArrayList<>(4);
		List<List<Peer>> batches = new ArrayList<>(4);
		try {
			for (Peer peer : peers) {
				Inbox inbox = peer.inbox;
				if (inbox.loop.inEventLoop()) {
					write(peer, message.retainedDuplicate());
					continue;
				}
				int i = inboxes.indexOf(inbox);
				if (i < 0) {
					inboxes.add(inbox);
					batches.add(new ArrayList<>());
					i = inboxes.size() - 1;
				}
				batches.get(i).add(peer);
			}
			for (int i = 0; i < inboxes.size(); i++) {
				inboxes.get(i).offer(batches.get(i), message.retain());
			}
		}
		finally {
			message.release();
		}
	}

	/** Hands an already grouped set of one loop's peers (read on that loop) the shared message. */
	static void sendLoop(Inbox inbox, Iterable<? extends Peer> peers, ByteBuf message) {
		if (inbox.loop.inEventLoop()) {
			writeAll(peers, message);
		}
		else {
			inbox.offer(peers, message);
		}
	}

	private static void write(Peer peer, ByteBuf message) {
		peer.write(message);
		if (!peer.unflushed) {
			peer.unflushed = true;
			UNFLUSHED.get().add(peer);
		}
	}

	private static void writeAll(Iterable<? extends Peer> peers, ByteBuf message) {
		try {
			for (Peer peer : peers) {
				write(peer, message.retainedDuplicate());
			}
		}
		finally {
			message.release();
		}
	}

	/** Ends this loop's unit of work: flushes every peer written during it, once. */
	static void flush() {
		List<Peer> peers = UNFLUSHED.get();
		for (int i = 0; i < peers.size(); i++) {
			Peer peer = peers.get(i);
			peer.unflushed = false;
			peer.flush();
		}
		peers.clear();
	}

	/** One fan-out's peers on one loop and its shared message. */
	private record Batch(Iterable<? extends Peer> peers, ByteBuf message) {
	}

	/** One event loop's queue of batches, drained by one task however many fan-outs filled it. */
	static final class Inbox implements Runnable {

		final EventLoop loop;

		private final Queue<Batch> batches = PlatformDependent.newMpscQueue();

		private final AtomicInteger pending = new AtomicInteger();

		Inbox(EventLoop loop) {
			this.loop = loop;
		}

		void offer(Iterable<? extends Peer> peers, ByteBuf message) {
			this.batches.offer(new Batch(peers, message));
			if (this.pending.getAndIncrement() == 0) {
				this.loop.execute(this);
			}
		}

		@Override
		public void run() {
			int missed = this.pending.get();
			while (true) {
				Batch batch;
				while ((batch = this.batches.poll()) != null) {
					writeAll(batch.peers(), batch.message());
				}
				flush();
				missed = this.pending.addAndGet(-missed);
				if (missed == 0) {
					return;
				}
			}
		}
	}
}
