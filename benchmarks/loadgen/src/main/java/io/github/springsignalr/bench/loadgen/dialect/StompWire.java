package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Byte-level helpers of the STOMP dialect: reading a frame's body and header without decoding it to a string,
 * and writing the JSON message {@code {"t":..,"p":".."}} without a JSON library. The JSON parts are also used by
 * the Socket.IO dialect, whose events carry the same object.
 */
final class StompWire {

	/** The message's opening up to its timestamp. */
	static final byte[] T_KEY = {'{', '"', 't', '"', ':'};

	/** Between the timestamp and the payload string. */
	static final byte[] P_KEY = {',', '"', 'p', '"', ':'};

	private static final byte[] MIN_LONG = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private StompWire() {
	}

	/** The payload as a JSON string literal (quotes included), UTF-8 encoded. */
	static byte[] jsonString(String s) {
		StringBuilder json = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Writes {@code v} in decimal without allocating. */
	static void writeLong(ByteBuf buf, long v) {
		if (v == Long.MIN_VALUE) {
			buf.writeBytes(MIN_LONG);
			return;
		}
		if (v < 0) {
			buf.writeByte('-');
			v = -v;
		}
		int digits = 1;
		for (long rest = v / 10; rest != 0; rest /= 10) {
			digits++;
		}
		buf.ensureWritable(digits);
		int at = buf.writerIndex();
		for (int i = at + digits - 1; i >= at; i--) {
			buf.setByte(i, '0' + (int) (v % 10));
			v /= 10;
		}
		buf.writerIndex(at + digits);
	}

	/**
	 * The number after the first {@code "t":} in {@code [from, end)}: the timestamp of a message object whose
	 * first member is {@code t}, as every peer serializes it.
	 */
	static long timestamp(ByteBuf buf, int from, int end) {
		for (int i = from; i + 4 < end; i++) {
			if (buf.getByte(i) == '"' && buf.getByte(i + 1) == 't' && buf.getByte(i + 2) == '"'
					&& buf.getByte(i + 3) == ':') {
				return parseLong(buf, i + 4, end);
			}
		}
		throw new IllegalStateException("no \"t\" in message: " + buf.toString(from, end - from,
				StandardCharsets.UTF_8));
	}

	private static long parseLong(ByteBuf buf, int from, int end) {
		int i = from;
		while (i < end && buf.getByte(i) == ' ') {
			i++;
		}
		boolean negative = i < end && buf.getByte(i) == '-';
		if (negative) {
			i++;
		}
		long v = 0;
		int first = i;
		for (; i < end; i++) {
			byte b = buf.getByte(i);
			if (b < '0' || b > '9') {
				break;
			}
			v = v * 10 + (b - '0');
		}
		if (i == first) {
			throw new IllegalStateException("no number at \"t\"");
		}
		return negative ? -v : v;
	}

	/** The index right after a STOMP frame's blank line (the body's first byte), or {@code end}. */
	static int bodyStart(ByteBuf buf, int start, int end) {
		for (int i = start; i + 1 < end; i++) {
			if (buf.getByte(i) == '\n' && buf.getByte(i + 1) == '\n') {
				return i + 2;
			}
		}
		return end;
	}

	/** The value of the header line that starts with {@code name} (e.g. {@code "receipt-id:"}), or null. */
	static @Nullable String header(ByteBuf buf, int start, int end, String name) {
		int body = bodyStart(buf, start, end);
		int line = start;
		while (line < body) {
			int eol = line;
			while (eol < body && buf.getByte(eol) != '\n') {
				eol++;
			}
			if (eol - line > name.length() && startsWith(buf, line, name)) {
				int valueEnd = eol > line && buf.getByte(eol - 1) == '\r' ? eol - 1 : eol;
				int valueStart = line + name.length();
				return buf.toString(valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
			}
			line = eol + 1;
		}
		return null;
	}

	private static boolean startsWith(ByteBuf buf, int at, String prefix) {
		for (int i = 0; i < prefix.length(); i++) {
			if (buf.getByte(at + i) != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}
}
