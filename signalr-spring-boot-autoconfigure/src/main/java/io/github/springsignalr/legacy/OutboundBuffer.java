package io.github.springsignalr.legacy;

import java.util.ArrayDeque;
import java.util.Iterator;

import org.jspecify.annotations.Nullable;

/**
 * One connection's outbound messages in order, each with a sequence number the client sees as its
 * cursor {@code C} ({@code d-<epoch>-<seq>} in hex; the epoch is this process's, so a cursor of another
 * process or of a restart is foreign). Bounded in entries and bytes: the oldest go first. Not
 * thread-safe: its connection guards it.
 */
final class OutboundBuffer {

	/** The most messages one long-polling response carries, as the reference. */
	static final int MAX_PER_RESPONSE = 5000;

	private final String prefix;

	private final int maxEntries;

	private final long maxBytes;

	private final ArrayDeque<Entry> entries = new ArrayDeque<>();

	private long bytes;

	/** Sequence number of the newest message (0 before the first). */
	private long last;

	OutboundBuffer(String epoch, int maxEntries, long maxBytes) {
		this.prefix = "d-" + epoch + "-";
		this.maxEntries = Math.max(1, maxEntries);
		this.maxBytes = Math.max(1, maxBytes);
	}

	/** Adds a message; returns its sequence number. */
	long append(String json) {
		long seq = ++this.last;
		this.entries.addLast(new Entry(seq, json));
		this.bytes += json.length();
		while (this.entries.size() > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size() > 1)) {
			this.bytes -= this.entries.removeFirst().json().length();
		}
		return seq;
	}

	/** The newest sequence number. */
	long last() {
		return this.last;
	}

	/** The cursor of a sequence number. */
	String cursor(long seq) {
		return this.prefix + Long.toHexString(seq);
	}

	/**
	 * The sequence number a client's cursor names: the newest one ("from now") for an absent, foreign,
	 * malformed or future cursor.
	 */
	long position(@Nullable String cursor) {
		if (cursor == null || cursor.isEmpty() || !cursor.startsWith(this.prefix)) {
			return this.last;
		}
		try {
			long seq = Long.parseLong(cursor.substring(this.prefix.length()), 16);
			return (seq < 0 || seq > this.last) ? this.last : seq;
		}
		catch (NumberFormatException ex) {
			return this.last;
		}
	}

	/** Drops what the client has seen (up to and including {@code seq}). */
	void acknowledge(long seq) {
		while (!this.entries.isEmpty() && this.entries.peekFirst().seq() <= seq) {
			this.bytes -= this.entries.removeFirst().json().length();
		}
	}

	/** Whether a message newer than {@code seq} is kept. */
	boolean hasAfter(long seq) {
		return !this.entries.isEmpty() && this.entries.peekLast().seq() > seq;
	}

	/**
	 * The PersistentResponse with the messages after {@code seq} (at most {@link #MAX_PER_RESPONSE}), its
	 * cursor the last one included: {@code {"C":"...","M":[...]}} plus {@code extra} fields before {@code M}.
	 */
	String response(long seq, String extra) {
		StringBuilder messages = new StringBuilder();
		long cursor = seq;
		int count = 0;
		Iterator<Entry> iterator = this.entries.iterator();
		while (iterator.hasNext() && count < MAX_PER_RESPONSE) {
			Entry entry = iterator.next();
			if (entry.seq() <= seq) {
				continue;
			}
			if (count++ > 0) {
				messages.append(',');
			}
			messages.append(entry.json());
			cursor = entry.seq();
		}
		if (count == 0) {
			cursor = Math.max(seq, this.last);
		}
		return "{\"C\":\"" + cursor(cursor) + "\"" + extra + ",\"M\":[" + messages + "]}";
	}

	/** The response carrying one message just appended. */
	String single(long seq, String json) {
		return "{\"C\":\"" + cursor(seq) + "\",\"M\":[" + json + "]}";
	}

	/** How many messages are kept. */
	int size() {
		return this.entries.size();
	}

	private record Entry(long seq, String json) {
	}
}
