package io.github.springsignalr.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the messages a hub sends most often straight into bytes: invocations, completions and stream
 * items whose values are strings, whole numbers ({@code Integer}, {@code Long}, {@code Short},
 * {@code Byte}), booleans or {@code null}. Everything else is left to the mapper.
 * <p>
 * The bytes are the ones the mapper would write: at construction the mapper writes every ASCII character
 * in a string, a few non-ASCII ones and each kind of number, and this writer copies its escapes; when the
 * mapper writes any of them differently than plain JSON with UTF-8 (escaped non-ASCII, numbers as
 * strings, a serializer of its own), this writer stays off.
 */
final class JsonScalarWriter {

	/** Each ASCII character as the mapper writes it inside a string. */
	private final byte[][] ascii = new byte[128][];

	private final boolean enabled;

	JsonScalarWriter(JsonMapper mapper) {
		this.enabled = learn(mapper);
	}

	private boolean learn(JsonMapper mapper) {
		try {
			for (char c = 0; c < 128; c++) {
				String written = mapper.writeValueAsString(String.valueOf(c));
				if (written.length() < 3 || written.charAt(0) != '"' || written.charAt(written.length() - 1) != '"') {
					return false;
				}
				this.ascii[c] = written.substring(1, written.length() - 1).getBytes(StandardCharsets.US_ASCII);
			}
			String text = "\u00e9\u07ff\u0800\u2028\uffff\ud83d\ude00 /";
			return mapper.writeValueAsString(text).equals("\"" + text + "\"")
					&& mapper.writeValueAsString(Arrays.asList(1L << 40, Long.MIN_VALUE, -7, (short) 3, (byte) -4,
							true, false, null))
						.equals("[1099511627776,-9223372036854775808,-7,3,-4,true,false,null]");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The message with its record separator, or {@code null} when the mapper has to write it. */
	byte @Nullable [] write(HubMessage message) {
		if (!this.enabled) {
			return null;
		}
		Bytes out;
		if (message instanceof HubMessage.Invocation m) {
			if (!m.streamIds().isEmpty() || !allScalars(m.arguments())) {
				return null;
			}
			out = new Bytes(64 + m.target().length() + estimate(m.arguments()));
			out.ascii("{\"type\":1,");
			if (m.invocationId() != null) {
				out.ascii("\"invocationId\":");
				if (!string(out, m.invocationId())) {
					return null;
				}
				out.add((byte) ',');
			}
			out.ascii("\"target\":");
			if (!string(out, m.target())) {
				return null;
			}
			out.ascii(",\"arguments\":[");
			List<@Nullable Object> arguments = m.arguments();
			for (int i = 0; i < arguments.size(); i++) {
				if (i > 0) {
					out.add((byte) ',');
				}
				if (!value(out, arguments.get(i))) {
					return null;
				}
			}
			out.ascii("]}");
		}
		else if (message instanceof HubMessage.Completion m) {
			if (m.error() == null && m.hasResult() && !isScalar(m.result())) {
				return null;
			}
			out = new Bytes(64 + m.invocationId().length() + ((m.error() != null) ? m.error().length() : 16));
			out.ascii("{\"type\":3,\"invocationId\":");
			if (!string(out, m.invocationId())) {
				return null;
			}
			if (m.error() != null) {
				out.ascii(",\"error\":");
				if (!string(out, m.error())) {
					return null;
				}
			}
			else if (m.hasResult()) {
				out.ascii(",\"result\":");
				if (!value(out, m.result())) {
					return null;
				}
			}
			out.add((byte) '}');
		}
		else if (message instanceof HubMessage.StreamItem m) {
			if (!isScalar(m.item())) {
				return null;
			}
			out = new Bytes(64 + m.invocationId().length());
			out.ascii("{\"type\":2,\"invocationId\":");
			if (!string(out, m.invocationId())) {
				return null;
			}
			out.ascii(",\"item\":");
			if (!value(out, m.item())) {
				return null;
			}
			out.add((byte) '}');
		}
		else {
			return null;
		}
		out.add(TextMessageFormat.RECORD_SEPARATOR);
		return out.toArray();
	}

	private static boolean allScalars(List<@Nullable Object> values) {
		for (int i = 0; i < values.size(); i++) {
			if (!isScalar(values.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isScalar(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Long || value instanceof Integer
				|| value instanceof Boolean || value instanceof Short || value instanceof Byte;
	}

	private static int estimate(List<@Nullable Object> values) {
		int size = 0;
		for (int i = 0; i < values.size(); i++) {
			Object value = values.get(i);
			size += (value instanceof String text) ? text.length() + 3 : 21;
		}
		return size;
	}

	private boolean value(Bytes out, @Nullable Object value) {
		if (value == null) {
			out.ascii("null");
		}
		else if (value instanceof String text) {
			return string(out, text);
		}
		else if (value instanceof Boolean bool) {
			out.ascii(bool ? "true" : "false");
		}
		else {
			out.ascii(value.toString());
		}
		return true;
	}

	/** A quoted string; {@code false} for a lone surrogate, which only the mapper knows how to treat. */
	private boolean string(Bytes out, String text) {
		int length = text.length();
		out.ensure(length + 2);
		out.add((byte) '"');
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c < 128) {
				byte[] escaped = this.ascii[c];
				if (escaped.length == 1) {
					out.add(escaped[0]);
				}
				else {
					out.add(escaped);
				}
			}
			else if (c < 0x800) {
				out.ensure(2);
				out.add((byte) (0xc0 | (c >> 6)));
				out.add((byte) (0x80 | (c & 0x3f)));
			}
			else if (Character.isSurrogate(c)) {
				if (!Character.isHighSurrogate(c) || i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				int code = Character.toCodePoint(c, text.charAt(++i));
				out.ensure(4);
				out.add((byte) (0xf0 | (code >> 18)));
				out.add((byte) (0x80 | ((code >> 12) & 0x3f)));
				out.add((byte) (0x80 | ((code >> 6) & 0x3f)));
				out.add((byte) (0x80 | (code & 0x3f)));
			}
			else {
				out.ensure(3);
				out.add((byte) (0xe0 | (c >> 12)));
				out.add((byte) (0x80 | ((c >> 6) & 0x3f)));
				out.add((byte) (0x80 | (c & 0x3f)));
			}
		}
		out.add((byte) '"');
		return true;
	}

	/** A growable byte array. */
	private static final class Bytes {

		private byte[] bytes;

		private int length;

		Bytes(int capacity) {
			this.bytes = new byte[capacity];
		}

		void ensure(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more + 16));
			}
		}

		void add(byte b) {
			if (this.length == this.bytes.length) {
				ensure(1);
			}
			this.bytes[this.length++] = b;
		}

		void add(byte[] b) {
			ensure(b.length);
			System.arraycopy(b, 0, this.bytes, this.length, b.length);
			this.length += b.length;
		}

		/** ASCII text, one byte per character. */
		void ascii(String text) {
			int n = text.length();
			ensure(n);
			for (int i = 0; i < n; i++) {
				this.bytes[this.length++] = (byte) text.charAt(i);
			}
		}

		byte[] toArray() {
			return (this.length == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.length);
		}
	}
}
