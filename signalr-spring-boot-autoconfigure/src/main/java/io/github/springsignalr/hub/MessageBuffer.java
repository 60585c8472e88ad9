package io.github.springsignalr.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.connection.OutboundBufferOverflowException;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * Stateful reconnect (ASP.NET Core 8) for one connection: every sequenced message sent is kept until
 * the client acknowledges it and is sent again, after a Sequence message, when the client comes back
 * on a new transport; messages from the client are counted, acknowledged about once a second, and
 * duplicates it resends after a reconnect are dropped.
 * <p>
 * The kept bytes are bounded by {@code signalr.hub.stateful-reconnect-buffer-size}: once they exceed
 * it, further sequenced messages are held back (not sent) until the client's Acks make room, so a
 * client that does not acknowledge slows its senders down instead of growing the server's memory;
 * server-to-client streams wait with {@link #whenSpace(Runnable)}. When the held-back messages exceed
 * the outbound buffer size as well, the client is too far behind and the connection is closed, as a
 * connection whose outbound queue overflows is.
 */
final class MessageBuffer {

	private final Connection connection;

	private final HubProtocol protocol;

	private final long limit;

	private final long holdLimit;

	private final Deque<Entry> unacknowledged = new ArrayDeque<>();

	private final Deque<byte[]> held = new ArrayDeque<>();

	private final List<Runnable> spaceWaiters = new ArrayList<>();

	private long bufferedBytes;

	private long heldBytes;

	private boolean overflowed;

	private long lastSentId;

	private boolean connected = true;

	private long nextReceivingId = 1;

	private long latestReceivedId;

	private boolean waitForSequence;

	private boolean ackDue;

	/**
	 * @param limit bytes kept unacknowledged before further messages are held back
	 * @param holdLimit bytes held back before the connection is closed for overflow
	 */
	MessageBuffer(Connection connection, HubProtocol protocol, long limit, long holdLimit) {
		this.connection = connection;
		this.protocol = protocol;
		this.limit = limit;
		this.holdLimit = holdLimit;
	}

	/** Messages that carry a sequence id: everything but Ping, Close, Ack and Sequence. */
	static boolean isSequenced(HubMessage message) {
		int type = message.type();
		return type >= HubMessage.INVOCATION && type <= HubMessage.CANCEL_INVOCATION;
	}

	/** Sends a message, keeping it when it is sequenced; while disconnected it is only kept. */
	boolean write(HubMessage message, byte[] bytes) {
		synchronized (this) {
			if (!isSequenced(message)) {
				return !this.connected || this.connection.send(bytes);
			}
			if (this.held.isEmpty() && this.bufferedBytes <= this.limit) {
				return keepAndSend(bytes);
			}
			if (this.overflowed) {
				return false;
			}
			this.held.add(bytes);
			this.heldBytes += bytes.length;
			if (this.heldBytes <= this.holdLimit) {
				return true;
			}
			this.overflowed = true;
			this.held.clear();
			this.heldBytes = 0;
		}
		overflow();
		return false;
	}

	private boolean keepAndSend(byte[] bytes) {
		this.unacknowledged.add(new Entry(++this.lastSentId, bytes));
		this.bufferedBytes += bytes.length;
		return !this.connected || this.connection.send(bytes);
	}

	private void overflow() {
		OutboundBufferOverflowException cause = new OutboundBufferOverflowException(this.holdLimit);
		ConnectionFeatures.CloseReporting reporting = this.connection.feature(ConnectionFeatures.CloseReporting.class);
		if (reporting != null) {
			reporting.closeReason(SignalRMetrics.CloseReason.OVERFLOW);
		}
		this.connection.abort(cause);
	}

	/**
	 * Runs {@code waiter} once nothing is held back for want of Acks (now, if nothing is), so that
	 * producers such as server-to-client streams go at the client's pace.
	 */
	void whenSpace(Runnable waiter) {
		synchronized (this) {
			if (!this.held.isEmpty() && !this.overflowed) {
				this.spaceWaiters.add(waiter);
				return;
			}
		}
		waiter.run();
	}

	/** Bytes held back until the client acknowledges what it has. */
	synchronized long heldBytes() {
		return this.heldBytes;
	}

	/** Bytes sent and not yet acknowledged. */
	synchronized long bufferedBytes() {
		return this.bufferedBytes;
	}

	/** The client acknowledged every message up to {@code sequenceId}. */
	void acknowledge(long sequenceId) {
		List<Runnable> waiters;
		synchronized (this) {
			Entry first;
			while ((first = this.unacknowledged.peek()) != null && first.id() <= sequenceId) {
				this.unacknowledged.poll();
				this.bufferedBytes -= first.bytes().length;
			}
			byte[] next;
			while (this.bufferedBytes <= this.limit && (next = this.held.poll()) != null) {
				this.heldBytes -= next.length;
				keepAndSend(next);
			}
			if (!this.held.isEmpty() || this.spaceWaiters.isEmpty()) {
				return;
			}
			waiters = new ArrayList<>(this.spaceWaiters);
			this.spaceWaiters.clear();
		}
		waiters.forEach(Runnable::run);
	}

	/** Whether a message from the client is new (to be processed) rather than a resent duplicate. */
	synchronized boolean shouldProcess(HubMessage message) {
		if (this.waitForSequence) {
			if (message.type() != HubMessage.SEQUENCE) {
				return false;
			}
			this.waitForSequence = false;
			return true;
		}
		if (!isSequenced(message)) {
			return true;
		}
		long current = this.nextReceivingId++;
		if (current <= this.latestReceivedId) {
			return false;
		}
		this.latestReceivedId = current;
		this.ackDue = true;
		return true;
	}

	/**
	 * The client's Sequence: the id of the next message it sends.
	 * @return {@code false} when it claims more than was received (the connection must end)
	 */
	synchronized boolean resetSequence(long sequenceId) {
		if (sequenceId > this.nextReceivingId) {
			return false;
		}
		this.nextReceivingId = sequenceId;
		return true;
	}

	/** The Ack to send now, if anything arrived since the last one. */
	synchronized byte @Nullable [] ackIfDue() {
		if (!this.ackDue || !this.connected) {
			return null;
		}
		this.ackDue = false;
		return this.protocol.writeMessage(new HubMessage.Ack(this.latestReceivedId));
	}

	/** The transport is gone; messages are kept until the client is back. */
	synchronized void disconnected() {
		this.connected = false;
		this.waitForSequence = true;
	}

	/** A new transport: send Sequence and everything the client has not acknowledged, in order. */
	synchronized void resend() {
		Entry first = this.unacknowledged.peek();
		long sequenceId = (first != null) ? first.id() : this.lastSentId + 1;
		this.connection.send(this.protocol.writeMessage(new HubMessage.Sequence(sequenceId)));
		for (Entry entry : this.unacknowledged) {
			this.connection.send(entry.bytes());
		}
		this.connected = true;
	}

	private record Entry(long id, byte[] bytes) {
	}
}
