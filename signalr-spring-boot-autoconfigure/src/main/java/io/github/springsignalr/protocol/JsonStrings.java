package io.github.springsignalr.protocol;

/** Writes JSON string literals without a JSON library, for the few fixed documents we build by hand. */
public final class JsonStrings {

	private JsonStrings() {
	}

	/** Appends {@code value} as a quoted, escaped JSON string. */
	public static StringBuilder quote(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"');
	}
}
