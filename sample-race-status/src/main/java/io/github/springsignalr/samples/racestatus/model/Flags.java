package io.github.springsignalr.samples.racestatus.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A track flag, sent as RedMist's integer code. */
public enum Flags {

	UNKNOWN(0), GREEN(1), YELLOW(2), RED(3), WHITE(4), CHECKERED(5), BLACK(6), PURPLE35(7), PURPLE60(8), BLUE(9),
	MEATBALL(10), DEBRIS(11), WAVING_YELLOW(12);

	private final int code;

	Flags(int code) {
		this.code = code;
	}

	/** The integer clients receive. */
	@JsonValue
	public int code() {
		return this.code;
	}
}
