package io.github.springsignalr.bench.netty;

import io.netty.buffer.ByteBuf;

/**
 * One connection of a raw transport, written only on its event loop ({@link Fanout.Inbox}): {@link #write}
 * takes a message, {@link #flush} sends what was written since the last flush.
 */
abstract class Peer {

	/** The inbox of the event loop this peer is written on. */
	final Fanout.Inbox inbox;

	/** Written since the last flush, and listed for the flush at the end of this loop's unit of work. */
	boolean unflushed;

	Peer(Fanout.Inbox inbox) {
		this.inbox = inbox;
	}

	/** Writes one message, owning the reference given; on the peer's event loop. */
	abstract void write(ByteBuf message);

	/** Sends what {@link #write} wrote; on the peer's event loop. */
	abstract void flush();
}
