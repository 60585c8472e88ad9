package io.github.springsignalr.hub;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * Stateful reconnect (ASP.NET Core 8) for one connection: every sequenced message sent is kept until
 * the client acknowledges it and is sent again, after a Sequence message, when the client comes back
 * on a new transport; messages from the client are counted, acknowledged about once a second, and
 * duplicates it resends after a reconnect are dropped.
 */
final class MessageBuffer {

	private final Connection connection;

	private final HubProtocol protocol;

	private final Deque<Entry> unacknowledged = new ArrayDeque<>();

	private long bufferedBytes;

	private long lastSentId;

	private boolean connected = true;

	private long nextReceivingId = 1;

	private long latestReceivedId;

	private boolean waitForSequence;

	private boolean ackDue;

	MessageBuffer(Connection connection, HubProtocol protocol) {
		this.connection = connection;
		this.protocol = protocol;
	}

	/** Messages that carry a sequence id: everything but Ping, Close, Ack and Sequence. */
	static boolean isSequenced(HubMessage message) {
		int type = message.type();
		return type >= HubMessage.INVOCATION && type <= HubMessage.CANCEL_INVOCATION;
	}

	/** Sends a message, keeping it when it is sequenced; while disconnected it is only kept. */
	synchronized boolean write(HubMessage message, byte[] bytes) {
		if (isSequenced(message)) {
			this.unacknowledged.add(new Entry(++this.lastSentId, bytes));
			this.bufferedBytes += bytes.length;
		}
		return !this.connected || this.connection.send(bytes);
	}

	/** Bytes sent and not yet acknowledged. */
	synchronized long bufferedBytes() {
		return this.bufferedBytes;
	}

	/** The client acknowledged every message up to {@code sequenceId}. */
	synchronized void acknowledge(long sequenceId) {
		Entry first;
		while ((first = this.unacknowledged.peek()) != null && first.id() <= sequenceId) {
			this.unacknowledged.poll();
			this.bufferedBytes -= first.bytes().length;
		}
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
