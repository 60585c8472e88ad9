package io.github.springsignalr;

/** The transports a SignalR connection can use, with the names negotiate gives them. */
public enum TransportType {

	/** WebSockets. */
	WEB_SOCKETS("WebSockets"),

	/** Server-Sent Events with HTTP POSTs for client data. */
	SERVER_SENT_EVENTS("ServerSentEvents"),

	/** HTTP long polling. */
	LONG_POLLING("LongPolling");

	private final String wireName;

	TransportType(String wireName) {
		this.wireName = wireName;
	}

	/** The name used on the wire, e.g. {@code WebSockets}. */
	public String wireName() {
		return this.wireName;
	}
}
