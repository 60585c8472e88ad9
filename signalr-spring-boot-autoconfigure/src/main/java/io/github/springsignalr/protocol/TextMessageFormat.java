package io.github.springsignalr.protocol;

import java.nio.ByteBuffer;

/** Framing of text protocols: every record ends with the ASCII record separator {@code 0x1E}. */
public final class TextMessageFormat {

	/** The record separator. */
	public static final byte RECORD_SEPARATOR = 0x1E;

	private TextMessageFormat() {
	}

	/**
	 * Position of the next record separator in {@code input} from its position, or -1.
	 */
	public static int indexOfSeparator(ByteBuffer input) {
		if (input.hasArray()) {
			byte[] array = input.array();
			int offset = input.arrayOffset();
			for (int i = input.position(); i < input.limit(); i++) {
				if (array[offset + i] == RECORD_SEPARATOR) {
					return i;
				}
			}
			return -1;
		}
		for (int i = input.position(); i < input.limit(); i++) {
			if (input.get(i) == RECORD_SEPARATOR) {
				return i;
			}
		}
		return -1;
	}
}
