package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/** The MessagePack hub protocol, written and read by hand for the few shapes the benchmark uses. */
final class MessagePackHubCodec implements HubCodec {

	@Override
	public String protocol() {
		return "messagepack";
	}

	@Override
	public boolean text() {
		return false;
	}

	@Override
	public void writeInvocation(ByteBuf out, @Nullable String invocationId, String target, Object... args) {
		ByteBuf body = out.alloc().heapBuffer(64);
		try {
			body.writeByte(0x96); // [type, headers, invocationId, target, arguments, streamIds]
			body.writeByte(1);
			body.writeByte(0x80);
			if (invocationId == null) {
				body.writeByte(0xc0);
			}
			else {
				writeString(body, invocationId);
			}
			writeString(body, target);
			body.writeByte(0x90 | args.length);
			for (Object arg : args) {
				if (arg instanceof String) {
					writeString(body, (String) arg);
				}
				else {
					body.writeByte(0xd3);
					body.writeLong((Long) arg);
				}
			}
			body.writeByte(0x90);
			int length = body.readableBytes();
			while (length >= 0x80) {
				out.writeByte((length & 0x7f) | 0x80);
				length >>>= 7;
			}
			out.writeByte(length);
			out.writeBytes(body);
		}
		finally {
			body.release();
		}
	}

	/** A MessagePack str: its UTF-8 length in the header (the benchmark's payloads are ASCII, others are not). */
	private static void writeString(ByteBuf out, String value) {
		int length = ByteBufUtil.utf8Bytes(value);
		if (length < 32) {
			out.writeByte(0xa0 | length);
		}
		else if (length < 256) {
			out.writeByte(0xd9);
			out.writeByte(length);
		}
		else if (length < 65536) {
			out.writeByte(0xda);
			out.writeShort(length);
		}
		else {
			out.writeByte(0xdb);
			out.writeInt(length);
		}
		ByteBufUtil.writeUtf8(out, value);
	}

	@Override
	public void read(byte[] bytes, int from, int to, Receiver receiver) {
		Cursor cursor = new Cursor(bytes, from);
		while (cursor.at < to) {
			int length = 0;
			int shift = 0;
			int b;
			do {
				b = bytes[cursor.at++] & 0xff;
				length |= (b & 0x7f) << shift;
				shift += 7;
			}
			while ((b & 0x80) != 0);
			int end = cursor.at + length;
			readMessage(cursor, receiver);
			cursor.at = end;
		}
	}

	private static void readMessage(Cursor in, Receiver receiver) {
		in.arrayHeader();
		switch ((int) in.integer()) {
			case 1 -> {
				in.skip(); // headers
				in.skip(); // invocation id
				in.skip(); // target
				in.arrayHeader();
				receiver.invocation(in.integer());
			}
			case 3 -> {
				in.skip();
				String id = in.string();
				long kind = in.integer();
				receiver.completion(id, kind == 1 ? in.string() : null);
			}
			case 7 -> {
				boolean hasError = (in.bytes[in.at] & 0xff) != 0xc0;
				receiver.close(hasError ? in.string() : null);
			}
			default -> {
			}
		}
	}

	/** A position in a byte array with MessagePack readers. */
	private static final class Cursor {

		final byte[] bytes;

		int at;

		Cursor(byte[] bytes, int at) {
			this.bytes = bytes;
			this.at = at;
		}

		int u8() {
			return bytes[at++] & 0xff;
		}

		long be(int count) {
			long value = 0;
			for (int i = 0; i < count; i++) {
				value = (value << 8) | u8();
			}
			return value;
		}

		int arrayHeader() {
			int b = u8();
			if ((b & 0xf0) == 0x90) {
				return b & 0x0f;
			}
			return (int) (b == 0xdc ? be(2) : be(4));
		}

		long integer() {
			int b = u8();
			if (b < 0x80) {
				return b;
			}
			if (b >= 0xe0) {
				return (byte) b;
			}
			return switch (b) {
				case 0xcc -> be(1);
				case 0xcd -> be(2);
				case 0xce -> be(4);
				case 0xcf, 0xd3 -> be(8);
				case 0xd0 -> (byte) be(1);
				case 0xd1 -> (short) be(2);
				case 0xd2 -> (int) be(4);
				default -> throw new IllegalStateException("not an integer: 0x" + Integer.toHexString(b));
			};
		}

		@Nullable String string() {
			int b = u8();
			int length;
			if ((b & 0xe0) == 0xa0) {
				length = b & 0x1f;
			}
			else if (b == 0xc0) {
				return null;
			}
			else {
				length = (int) be(b == 0xd9 ? 1 : b == 0xda ? 2 : 4);
			}
			String value = new String(bytes, at, length, StandardCharsets.UTF_8);
			at += length;
			return value;
		}

		void skip() {
			int b = u8();
			if (b < 0x80 || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
				return;
			}
			if ((b & 0xf0) == 0x80) {
				skipMany(2 * (b & 0x0f));
			}
			else if ((b & 0xf0) == 0x90) {
				skipMany(b & 0x0f);
			}
			else if ((b & 0xe0) == 0xa0) {
				at += b & 0x1f;
			}
			else {
				switch (b) {
					case 0xcc, 0xd0 -> at += 1;
					case 0xcd, 0xd1 -> at += 2;
					case 0xce, 0xd2, 0xca -> at += 4;
					case 0xcf, 0xd3, 0xcb -> at += 8;
					case 0xd9, 0xc4 -> at += (int) be(1);
					case 0xda, 0xc5 -> at += (int) be(2);
					case 0xdb, 0xc6 -> at += (int) be(4);
					case 0xdc -> skipMany((int) be(2));
					case 0xdd -> skipMany((int) be(4));
					case 0xde -> skipMany(2 * (int) be(2));
					case 0xdf -> skipMany(2 * (int) be(4));
					default -> throw new IllegalStateException("cannot skip 0x" + Integer.toHexString(b));
				}
			}
		}

		private void skipMany(int count) {
			for (int i = 0; i < count; i++) {
				skip();
			}
		}
	}
}
