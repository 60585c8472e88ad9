package io.github.springsignalr.legacy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One connection's outbound messages in order, each with a sequence number the client sees as its
 * cursor {@code C} ({@code d-<epoch>-<seq>} in hex; the epoch is this process's, so a cursor of another
 * process or of a restart is foreign). Bounded in entries and bytes: the oldest go first. The entries
 * are the messages' UTF-8 bytes as serialized once for every recipient, never copied. Not thread-safe:
 * its connection guards it.
 */
final class OutboundBuffer {

	/** The most messages one long-polling response carries, as the reference. */
	static final int MAX_PER_RESPONSE = 5000;

	private static final byte[] OPEN = ascii("{\"C\":\"");

	private static final byte[] MESSAGES = ascii("\",\"M\":[");

	private static final byte[] CLOSE = ascii("]}");

	private static final byte[] HEX = ascii("0123456789abcdef");

	private final String prefix;

	private final byte[] prefixBytes;

	private final int maxEntries;

	private final long maxBytes;

	/**
	 * The kept messages in a ring, oldest at {@code head}, with their lengths beside them (dropping the
	 * oldest reads no message: on a broadcast to thousands of connections their arrays are cold); the
	 * sequence numbers are consecutive, the newest being {@link #last}. Grown by doubling up to the limit.
	 */
	private byte[][] messages = new byte[8][];

	private int[] lengths = new int[8];

	private int head;

	private int size;

	private long bytes;

	/** Sequence number of the newest message (0 before the first). */
	private long last;

	OutboundBuffer(String epoch, int maxEntries, long maxBytes) {
		this.prefix = "d-" + epoch + "-";
		this.prefixBytes = ascii(this.prefix);
		this.maxEntries = Math.max(1, maxEntries);
		this.maxBytes = Math.max(1, maxBytes);
	}

	/** Adds a message; returns its sequence number. */
	long append(byte[] json) {
		long seq = ++this.last;
		if (this.size == this.maxEntries) {
			removeFirst();
		}
		if (this.size == this.messages.length) {
			grow();
		}
		int at = index(this.size);
		this.messages[at] = json;
		this.lengths[at] = json.length;
		this.size++;
		this.bytes += json.length;
		while (this.bytes > this.maxBytes && this.size > 1) {
			removeFirst();
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
		while (this.size > 0 && first() <= seq) {
			removeFirst();
		}
	}

	/** Whether a message newer than {@code seq} is kept. */
	boolean hasAfter(long seq) {
		return this.size > 0 && this.last > seq;
	}

	/**
	 * The PersistentResponse with the messages after {@code seq} (at most {@link #MAX_PER_RESPONSE}), its
	 * cursor the last one included: {@code {"C":"...","M":[...]}} plus {@code extra} fields before {@code M}.
	 */
	String response(long seq, String extra) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long cursor = seq;
		int count = 0;
		for (int i = (int) Math.max(0, seq + 1 - first()); i < this.size && count < MAX_PER_RESPONSE; i++) {
			if (count++ > 0) {
				out.write(',');
			}
			out.writeBytes(this.messages[index(i)]);
			cursor = first() + i;
		}
		if (count == 0) {
			cursor = Math.max(seq, this.last);
		}
		return "{\"C\":\"" + cursor(cursor) + "\"" + extra + ",\"M\":[" + out.toString(StandardCharsets.UTF_8)
				+ "]}";
	}

	/**
	 * The response carrying one message just appended, {@code {"C":"<cursor>","M":[<json>]}}, written
	 * straight into one array (this runs once per recipient of every message).
	 */
	byte[] single(long seq, byte[] json) {
		return envelope(this.prefixBytes, seq, json);
	}

	/** The cursor of a sequence number without the number: {@code d-<epoch>-}. */
	byte[] cursorPrefix() {
		return this.prefixBytes;
	}

	/** {@code {"C":"<cursorPrefix><seq in hex>","M":[<json>]}} in one array. */
	static byte[] envelope(byte[] cursorPrefix, long seq, byte[] json) {
		int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(seq)) / 4);
		byte[] response = new byte[OPEN.length + cursorPrefix.length + digits + MESSAGES.length + json.length
				+ CLOSE.length];
		int at = put(response, 0, OPEN);
		at = put(response, at, cursorPrefix);
		for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
			response[at++] = HEX[(int) (seq >>> shift) & 0xF];
		}
		at = put(response, at, MESSAGES);
		at = put(response, at, json);
		put(response, at, CLOSE);
		return response;
	}

	private static int put(byte[] target, int at, byte[] bytes) {
		System.arraycopy(bytes, 0, target, at, bytes.length);
		return at + bytes.length;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** How many messages are kept. */
	int size() {
		return this.size;
	}

	/** The sequence number of the oldest message kept (when there is one). */
	private long first() {
		return this.last - this.size + 1;
	}

	private void removeFirst() {
		this.bytes -= this.lengths[this.head];
		this.messages[this.head] = null;
		this.head = index(1);
		this.size--;
	}

	/** The slot of the {@code i}-th kept message. */
	private int index(int i) {
		int at = this.head + i;
		return (at >= this.messages.length) ? at - this.messages.length : at;
	}

	/** Doubles the ring, at most to the entry limit: then a new message takes the slot of the one it pushes out. */
	private void grow() {
		int capacity = (int) Math.min((long) this.messages.length * 2, this.maxEntries);
		byte[][] messages = new byte[capacity][];
		int[] lengths = new int[capacity];
		for (int i = 0; i < this.size; i++) {
			int from = index(i);
			messages[i] = this.messages[from];
			lengths[i] = this.lengths[from];
		}
		this.messages = messages;
		this.lengths = lengths;
		this.head = 0;
	}
}
