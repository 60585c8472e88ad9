package io.github.springsignalr.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/** A growable buffer that writes MessagePack values. */
final class MessagePackWriter {

	private byte[] buffer;

	private int size;

	MessagePackWriter(int capacity) {
		this.buffer = new byte[capacity];
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.buffer, this.size);
	}

	int size() {
		return this.size;
	}

	private void ensure(int extra) {
		if (this.size + extra > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.size + extra));
		}
	}

	private void put(int b) {
		ensure(1);
		this.buffer[this.size++] = (byte) b;
	}

	private void putShort(int v) {
		ensure(2);
		this.buffer[this.size++] = (byte) (v >>> 8);
		this.buffer[this.size++] = (byte) v;
	}

	private void putInt(int v) {
		ensure(4);
		this.buffer[this.size++] = (byte) (v >>> 24);
		this.buffer[this.size++] = (byte) (v >>> 16);
		this.buffer[this.size++] = (byte) (v >>> 8);
		this.buffer[this.size++] = (byte) v;
	}

	private void putLong(long v) {
		putInt((int) (v >>> 32));
		putInt((int) v);
	}

	void writeNil() {
		put(0xc0);
	}

	void writeBoolean(boolean value) {
		put(value ? 0xc3 : 0xc2);
	}

	void writeArrayHeader(int length) {
		if (length < 16) {
			put(0x90 | length);
		}
		else if (length < 65536) {
			put(0xdc);
			putShort(length);
		}
		else {
			put(0xdd);
			putInt(length);
		}
	}

	void writeMapHeader(int length) {
		if (length < 16) {
			put(0x80 | length);
		}
		else if (length < 65536) {
			put(0xde);
			putShort(length);
		}
		else {
			put(0xdf);
			putInt(length);
		}
	}

	void writeLong(long value) {
		if (value >= 0) {
			if (value < 128) {
				put((int) value);
			}
			else if (value < 256) {
				put(0xcc);
				put((int) value);
			}
			else if (value < 65536) {
				put(0xcd);
				putShort((int) value);
			}
			else if (value < 4294967296L) {
				put(0xce);
				putInt((int) value);
			}
			else {
				put(0xcf);
				putLong(value);
			}
		}
		else if (value >= -32) {
			put((int) value & 0xff);
		}
		else if (value >= Byte.MIN_VALUE) {
			put(0xd0);
			put((int) value);
		}
		else if (value >= Short.MIN_VALUE) {
			put(0xd1);
			putShort((int) value);
		}
		else if (value >= Integer.MIN_VALUE) {
			put(0xd2);
			putInt((int) value);
		}
		else {
			put(0xd3);
			putLong(value);
		}
	}

	void writeDouble(double value) {
		put(0xcb);
		putLong(Double.doubleToLongBits(value));
	}

	void writeFloat(float value) {
		put(0xca);
		putInt(Float.floatToIntBits(value));
	}

	void writeString(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		int length = bytes.length;
		if (length < 32) {
			put(0xa0 | length);
		}
		else if (length < 256) {
			put(0xd9);
			put(length);
		}
		else if (length < 65536) {
			put(0xda);
			putShort(length);
		}
		else {
			put(0xdb);
			putInt(length);
		}
		writeRaw(bytes);
	}

	void writeBinary(byte[] value) {
		int length = value.length;
		if (length < 256) {
			put(0xc4);
			put(length);
		}
		else if (length < 65536) {
			put(0xc5);
			putShort(length);
		}
		else {
			put(0xc6);
			putInt(length);
		}
		writeRaw(value);
	}

	void writeRaw(byte[] bytes) {
		ensure(bytes.length);
		System.arraycopy(bytes, 0, this.buffer, this.size, bytes.length);
		this.size += bytes.length;
	}

	/** The timestamp extension (type -1) in its shortest form. */
	void writeTimestamp(Instant instant) {
		long seconds = instant.getEpochSecond();
		int nanos = instant.getNano();
		if (seconds >>> 34 == 0) {
			long data64 = ((long) nanos << 34) | seconds;
			if ((data64 & 0xffffffff00000000L) == 0) {
				put(0xd6);
				put(0xff);
				putInt((int) data64);
			}
			else {
				put(0xd7);
				put(0xff);
				putLong(data64);
			}
		}
		else {
			put(0xc7);
			put(12);
			put(0xff);
			putInt(nanos);
			putLong(seconds);
		}
	}

	/** Writes a value tree produced by Jackson: objects as maps, binary as bin, instants as timestamps. */
	void writeNode(JsonNode node) {
		switch (node.getNodeType()) {
			case OBJECT -> {
				writeMapHeader(node.size());
				Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
				while (fields.hasNext()) {
					Map.Entry<String, JsonNode> field = fields.next();
					writeString(field.getKey());
					writeNode(field.getValue());
				}
			}
			case ARRAY -> {
				writeArrayHeader(node.size());
				for (JsonNode item : node) {
					writeNode(item);
				}
			}
			case STRING -> writeString(node.stringValue());
			case NUMBER -> {
				if (node.isIntegralNumber()) {
					if (node.isBigInteger()) {
						BigInteger value = node.bigIntegerValue();
						if (value.bitLength() < 64) {
							writeLong(value.longValue());
						}
						else {
							writeString(value.toString());
						}
					}
					else {
						writeLong(node.longValue());
					}
				}
				else if (node.isFloat()) {
					writeFloat(node.floatValue());
				}
				else {
					writeDouble(node.doubleValue());
				}
			}
			case BOOLEAN -> writeBoolean(node.booleanValue());
			case BINARY -> writeBinary(node.binaryValue());
			case POJO -> writeEmbedded(((POJONode) node).getPojo());
			default -> writeNil();
		}
	}

	private void writeEmbedded(Object value) {
		if (value == null) {
			writeNil();
		}
		else if (value instanceof Instant instant) {
			writeTimestamp(instant);
		}
		else if (value instanceof byte[] bytes) {
			writeBinary(bytes);
		}
		else {
			writeString(value.toString());
		}
	}
}
