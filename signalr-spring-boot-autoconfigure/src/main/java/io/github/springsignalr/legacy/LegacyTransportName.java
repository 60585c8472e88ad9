package io.github.springsignalr.legacy;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.TransportType;

/**
 * The classic transports, by the names clients give them in {@code transport} (matched ignoring case, as
 * the reference's TransportManager does), with the reference's refusals of requests a transport does
 * not take.
 */
public enum LegacyTransportName {

	/** {@code webSockets}. */
	WEB_SOCKETS("webSockets", TransportType.WEB_SOCKETS),

	/** {@code serverSentEvents}. */
	SERVER_SENT_EVENTS("serverSentEvents", TransportType.SERVER_SENT_EVENTS),

	/** {@code foreverFrame}. */
	FOREVER_FRAME("foreverFrame", TransportType.FOREVER_FRAME),

	/** {@code longPolling}. */
	LONG_POLLING("longPolling", TransportType.LONG_POLLING);

	private final String wireName;

	private final TransportType type;

	LegacyTransportName(String wireName, TransportType type) {
		this.wireName = wireName;
		this.type = type;
	}

	/** The transport as connections know it. */
	public TransportType type() {
		return this.type;
	}

	/**
	 * The transport a request names.
	 * @throws LegacyRequestException 400 {@code Protocol error: Unknown transport.} for none or another name
	 */
	public static LegacyTransportName of(@Nullable String name) {
		if (name != null) {
			for (LegacyTransportName transport : values()) {
				if (transport.wireName.equalsIgnoreCase(name)) {
					return transport;
				}
			}
		}
		throw LegacyRequestException.badRequest("Protocol error: Unknown transport.");
	}

	/**
	 * Refuses a request this transport does not take, with the reference's texts: a webSockets
	 * {@code /send}, or {@code /connect} or {@code /reconnect} that is no upgrade; a {@code /poll} of a
	 * streaming transport.
	 * @param suffix the request's suffix, lower-cased
	 * @param upgrade whether the request asks for a WebSocket upgrade
	 */
	public void check(String suffix, boolean upgrade) {
		boolean opens = suffix.equals("connect") || suffix.equals("reconnect");
		if (this == WEB_SOCKETS && (suffix.equals("send") || (opens && !upgrade))) {
			throw LegacyRequestException.badRequest("Not a valid web socket request.");
		}
		if ((this == SERVER_SENT_EVENTS || this == FOREVER_FRAME) && suffix.equals("poll")) {
			throw LegacyRequestException.badRequest("Protocol error: Unknown transport.");
		}
	}

	/**
	 * A forever frame's id: an unsigned 32-bit integer.
	 * @throws LegacyRequestException 400 with the reference's text otherwise (the reference fails with a
	 * 500; no client tells it from a 400)
	 */
	public static long frameId(@Nullable String text) {
		if (text != null && text.length() <= 10 && text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			long id = Long.parseLong(text);
			if (id <= 0xFFFF_FFFFL) {
				return id;
			}
		}
		throw LegacyRequestException.badRequest("The supplied frameId is in the incorrect format.");
	}
}
