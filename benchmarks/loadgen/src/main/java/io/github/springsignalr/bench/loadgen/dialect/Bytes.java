package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/** Small helpers to scan received bytes without building objects. */
final class Bytes {

	private Bytes() {
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Copies the readable bytes of {@code buffer} into {@code scratch} (grown when too small). */
	static byte[] copy(ByteBuf buffer, byte[] scratch) {
		int length = buffer.readableBytes();
		byte[] target = scratch.length >= length ? scratch : new byte[Math.max(length, scratch.length * 2)];
		buffer.getBytes(buffer.readerIndex(), target, 0, length);
		return target;
	}

	/** The index of {@code pattern} in {@code bytes[from, to)}, or -1. */
	static int indexOf(byte[] bytes, int from, int to, byte[] pattern) {
		int last = to - pattern.length;
		outer:
		for (int i = from; i <= last; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (bytes[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	static int indexOf(byte[] bytes, int from, int to, byte value) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	/** Parses the (possibly negative) decimal integer starting at {@code at}, skipping blanks. */
	static long parseLong(byte[] bytes, int at, int to) {
		int i = at;
		while (i < to && bytes[i] == ' ') {
			i++;
		}
		boolean negative = i < to && bytes[i] == '-';
		if (negative) {
			i++;
		}
		long value = 0;
		while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
			value = value * 10 + (bytes[i] - '0');
			i++;
		}
		return negative ? -value : value;
	}
}
