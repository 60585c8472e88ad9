package io.github.springsignalr.protocol;

/** Whether a protocol's frames are text or binary; negotiate lists them as {@code Text} and {@code Binary}. */
public enum TransferFormat {

	/** UTF-8 text, sent in WebSocket text frames. */
	TEXT("Text"),

	/** Arbitrary bytes, sent in WebSocket binary frames. */
	BINARY("Binary");

	private final String wireName;

	TransferFormat(String wireName) {
		this.wireName = wireName;
	}

	/** The name used in negotiate responses. */
	public String wireName() {
		return this.wireName;
	}
}
