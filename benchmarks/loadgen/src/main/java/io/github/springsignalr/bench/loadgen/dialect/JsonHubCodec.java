package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/** The JSON hub protocol, written by hand and scanned without a parser. */
final class JsonHubCodec implements HubCodec {

	static final byte RS = 0x1e;

	private static final byte[] TYPE = Bytes.ascii("\"type\":");

	private static final byte[] ARGUMENTS = Bytes.ascii("\"arguments\":[");

	private static final byte[] INVOCATION_ID = Bytes.ascii("\"invocationId\":\"");

	private static final byte[] ERROR = Bytes.ascii("\"error\":\"");

	@Override
	public String protocol() {
		return "json";
	}

	@Override
	public boolean text() {
		return true;
	}

	@Override
	public void writeInvocation(ByteBuf out, @Nullable String invocationId, String target, Object... args) {
		out.writeCharSequence("{\"type\":1,", StandardCharsets.US_ASCII);
		if (invocationId != null) {
			out.writeCharSequence("\"invocationId\":\"", StandardCharsets.US_ASCII);
			out.writeCharSequence(invocationId, StandardCharsets.US_ASCII);
			out.writeCharSequence("\",", StandardCharsets.US_ASCII);
		}
		out.writeCharSequence("\"target\":\"", StandardCharsets.US_ASCII);
		out.writeCharSequence(target, StandardCharsets.US_ASCII);
		out.writeCharSequence("\",\"arguments\":[", StandardCharsets.US_ASCII);
		for (int i = 0; i < args.length; i++) {
			if (i > 0) {
				out.writeByte(',');
			}
			Object arg = args[i];
			if (arg instanceof String) {
				writeString(out, (String) arg);
			}
			else {
				out.writeCharSequence(Long.toString((Long) arg), StandardCharsets.US_ASCII);
			}
		}
		out.writeCharSequence("]}", StandardCharsets.US_ASCII);
		out.writeByte(RS);
	}

	/** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
	static void writeString(ByteBuf out, String value) {
		out.writeByte('"');
		int plain = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20) {
				out.writeCharSequence(value.subSequence(plain, i), StandardCharsets.UTF_8);
				out.writeCharSequence((c == '"' || c == '\\') ? "\\" + c : String.format("\\u%04x", (int) c),
						StandardCharsets.US_ASCII);
				plain = i + 1;
			}
		}
		out.writeCharSequence(value.subSequence(plain, value.length()), StandardCharsets.UTF_8);
		out.writeByte('"');
	}

	@Override
	public void read(byte[] bytes, int from, int to, Receiver receiver) {
		int start = from;
		while (start < to) {
			int end = Bytes.indexOf(bytes, start, to, RS);
			if (end < 0) {
				end = to;
			}
			readRecord(bytes, start, end, receiver);
			start = end + 1;
		}
	}

	private static void readRecord(byte[] bytes, int from, int to, Receiver receiver) {
		int type = Bytes.indexOf(bytes, from, to, TYPE);
		if (type < 0) {
			return;
		}
		switch ((int) Bytes.parseLong(bytes, type + TYPE.length, to)) {
			case 1 -> {
				int arguments = Bytes.indexOf(bytes, from, to, ARGUMENTS);
				if (arguments >= 0) {
					receiver.invocation(Bytes.parseLong(bytes, arguments + ARGUMENTS.length, to));
				}
			}
			case 3 -> {
				int id = Bytes.indexOf(bytes, from, to, INVOCATION_ID);
				if (id >= 0) {
					int start = id + INVOCATION_ID.length;
					int end = Bytes.indexOf(bytes, start, to, (byte) '"');
					receiver.completion(new String(bytes, start, end - start, StandardCharsets.UTF_8),
							string(bytes, from, to, ERROR));
				}
			}
			case 7 -> receiver.close(string(bytes, from, to, ERROR));
			default -> {
			}
		}
	}

	private static @Nullable String string(byte[] bytes, int from, int to, byte[] key) {
		int at = Bytes.indexOf(bytes, from, to, key);
		if (at < 0) {
			return null;
		}
		int start = at + key.length;
		int end = Bytes.indexOf(bytes, start, to, (byte) '"');
		return new String(bytes, start, Math.max(0, end - start), StandardCharsets.UTF_8);
	}
}
