package io.github.springsignalr.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads MessagePack values from a byte range. Values become Jackson trees for binding: maps as objects,
 * bin as binary, the timestamp extension as an embedded {@link Instant}.
 */
final class MessagePackReader {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/**
	 * How deep arrays and maps may nest in one value: MessagePack-CSharp's limit for untrusted data, which
	 * the reference reads with, and Jackson's default for JSON. Deeper values are invalid data, well before
	 * the recursive reading (and binding, and writing back) could overflow a thread's stack.
	 */
	static final int MAX_DEPTH = 500;

	private final byte[] data;

	private int position;

	private final int limit;

	/** The arrays and maps being read around the current value. */
	private int depth;

	MessagePackReader(byte[] data, int offset, int limit) {
		this.data = data;
		this.position = offset;
		this.limit = limit;
	}

	boolean hasRemaining() {
		return this.position < this.limit;
	}

	private int next() {
		if (this.position >= this.limit) {
			throw new InvalidDataException("Unexpected end of MessagePack data.");
		}
		return this.data[this.position++] & 0xff;
	}

	private int peek() {
		if (this.position >= this.limit) {
			throw new InvalidDataException("Unexpected end of MessagePack data.");
		}
		return this.data[this.position] & 0xff;
	}

	private long readBig(int bytes) {
		long value = 0;
		for (int i = 0; i < bytes; i++) {
			value = (value << 8) | next();
		}
		return value;
	}

	boolean tryReadNil() {
		if (peek() == 0xc0) {
			this.position++;
			return true;
		}
		return false;
	}

	boolean isMap() {
		int b = peek();
		return (b & 0xf0) == 0x80 || b == 0xde || b == 0xdf;
	}

	int readArrayHeader(String field) {
		int b = next();
		if ((b & 0xf0) == 0x90) {
			return b & 0x0f;
		}
		if (b == 0xdc) {
			return checkedLength(readBig(2));
		}
		if (b == 0xdd) {
			return checkedLength(readBig(4));
		}
		throw new InvalidDataException("Reading array length for '" + field + "' failed.");
	}

	int readMapHeader(String field) {
		int b = next();
		if ((b & 0xf0) == 0x80) {
			return b & 0x0f;
		}
		if (b == 0xde) {
			return checkedLength(readBig(2));
		}
		if (b == 0xdf) {
			return checkedLength(readBig(4));
		}
		throw new InvalidDataException("Reading map length for '" + field + "' failed.");
	}

	/**
	 * A length read from the data that the bytes left can hold: a count of elements (each at least one
	 * byte) or of bytes, checked before anything is allocated for it.
	 */
	private int checkedLength(long length) {
		if (length > this.limit - this.position) {
			throw new InvalidDataException("Unexpected end of MessagePack data.");
		}
		return (int) length;
	}

	long readLong(String field) {
		int b = next();
		if (b <= 0x7f) {
			return b;
		}
		if (b >= 0xe0) {
			return (byte) b;
		}
		return switch (b) {
			case 0xcc -> readBig(1);
			case 0xcd -> readBig(2);
			case 0xce -> readBig(4);
			case 0xcf -> readBig(8);
			case 0xd0 -> (byte) readBig(1);
			case 0xd1 -> (short) readBig(2);
			case 0xd2 -> (int) readBig(4);
			case 0xd3 -> readBig(8);
			default -> throw new InvalidDataException("Reading '" + field + "' as Int32 failed.");
		};
	}

	int readInt(String field) {
		long value = readLong(field);
		if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
			throw new InvalidDataException("Reading '" + field + "' as Int32 failed.");
		}
		return (int) value;
	}

	boolean readBoolean(String field) {
		int b = next();
		if (b == 0xc3) {
			return true;
		}
		if (b == 0xc2) {
			return false;
		}
		throw new InvalidDataException("Reading '" + field + "' as Boolean failed.");
	}

	String readString(String field) {
		int b = next();
		int length;
		if ((b & 0xe0) == 0xa0) {
			length = b & 0x1f;
		}
		else if (b == 0xd9) {
			length = (int) readBig(1);
		}
		else if (b == 0xda) {
			length = (int) readBig(2);
		}
		else if (b == 0xdb) {
			length = checkedLength(readBig(4));
		}
		else {
			throw new InvalidDataException("Reading '" + field + "' as String failed.");
		}
		checkedLength(length);
		String value = new String(this.data, this.position, length, StandardCharsets.UTF_8);
		this.position += length;
		return value;
	}

	/** A string or nil. */
	@Nullable String readNullableString(String field) {
		return tryReadNil() ? null : readString(field);
	}

	void skip() {
		readNode();
	}

	/** Reads any value as a tree. */
	JsonNode readNode() {
		int b = peek();
		if (b == 0xcf && this.position + 1 < this.limit && (this.data[this.position + 1] & 0x80) != 0) {
			// a uint64 past the largest long: its value, not the negative long of its bits
			this.position++;
			return NODES.numberNode(new java.math.BigInteger(Long.toUnsignedString(readBig(8))));
		}
		if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3)) {
			long value = readLong("value");
			return (value == (int) value) ? NODES.numberNode((int) value) : NODES.numberNode(value);
		}
		if ((b & 0xe0) == 0xa0 || b == 0xd9 || b == 0xda || b == 0xdb) {
			return NODES.stringNode(readString("value"));
		}
		if ((b & 0xf0) == 0x90 || b == 0xdc || b == 0xdd) {
			int length = readArrayHeader("value");
			enter();
			ArrayNode array = NODES.arrayNode(length);
			for (int i = 0; i < length; i++) {
				array.add(readNode());
			}
			this.depth--;
			return array;
		}
		if ((b & 0xf0) == 0x80 || b == 0xde || b == 0xdf) {
			int length = readMapHeader("value");
			enter();
			ObjectNode object = NODES.objectNode();
			for (int i = 0; i < length; i++) {
				JsonNode key = readNode();
				if (key.isContainer()) {
					// a tree's keys are text: a container's text holds its own keys' text escaped, growing
					// exponentially with nesting
					throw new InvalidDataException("Unsupported MessagePack map key: a map or an array.");
				}
				object.set(key.isString() ? key.stringValue() : key.toString(), readNode());
			}
			this.depth--;
			return object;
		}
		this.position++;
		switch (b) {
			case 0xc0:
				return NODES.nullNode();
			case 0xc2:
				return NODES.booleanNode(false);
			case 0xc3:
				return NODES.booleanNode(true);
			case 0xca:
				return NODES.numberNode(Float.intBitsToFloat((int) readBig(4)));
			case 0xcb:
				return NODES.numberNode(Double.longBitsToDouble(readBig(8)));
			case 0xc4:
			case 0xc5:
			case 0xc6: {
				int length = checkedLength(readBig((b == 0xc4) ? 1 : (b == 0xc5) ? 2 : 4));
				byte[] bytes = new byte[length];
				System.arraycopy(this.data, this.position, bytes, 0, length);
				this.position += length;
				return NODES.binaryNode(bytes);
			}
			case 0xd4:
				return extension(1);
			case 0xd5:
				return extension(2);
			case 0xd6:
				return extension(4);
			case 0xd7:
				return extension(8);
			case 0xd8:
				return extension(16);
			case 0xc7:
				return extension(checkedLength(readBig(1)));
			case 0xc8:
				return extension(checkedLength(readBig(2)));
			case 0xc9:
				return extension(checkedLength(readBig(4)));
			default:
				throw new InvalidDataException("Unsupported MessagePack type 0x" + Integer.toHexString(b) + ".");
		}
	}

	private void enter() {
		if (++this.depth > MAX_DEPTH) {
			throw new InvalidDataException("The maximum nesting depth of " + MAX_DEPTH + " was exceeded.");
		}
	}

	private JsonNode extension(int length) {
		int type = (byte) next();
		checkedLength(length);
		int start = this.position;
		this.position += length;
		if (type != -1) {
			byte[] bytes = new byte[length];
			System.arraycopy(this.data, start, bytes, 0, length);
			return NODES.binaryNode(bytes);
		}
		int saved = this.position;
		this.position = start;
		Instant instant;
		if (length == 4) {
			instant = Instant.ofEpochSecond(readBig(4));
		}
		else if (length == 8) {
			long data64 = readBig(8);
			instant = Instant.ofEpochSecond(data64 & 0x3ffffffffL, data64 >>> 34);
		}
		else if (length == 12) {
			long nanos = readBig(4);
			long seconds = readBig(8);
			try {
				instant = Instant.ofEpochSecond(seconds, nanos);
			}
			catch (DateTimeException | ArithmeticException ex) {
				// a signed 64-bit count of seconds reaches far past the years an Instant holds, and the
				// nanoseconds (up to 4.29 s) may carry it past the largest long
				throw new InvalidDataException("Invalid MessagePack timestamp: " + seconds + " seconds is out of range.",
						ex);
			}
		}
		else {
			throw new InvalidDataException("Invalid MessagePack timestamp length " + length + ".");
		}
		this.position = saved;
		return NODES.pojoNode(instant);
	}
}
