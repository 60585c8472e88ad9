package io.github.springsignalr;

/**
 * The transports a SignalR connection can use, with the names negotiate gives them (the classic clients'
 * foreverFrame included, which ASP.NET Core negotiation never offers).
 */
public enum TransportType {

	/** WebSockets. */
	WEB_SOCKETS("WebSockets"),

	/** Server-Sent Events with HTTP POSTs for client data. */
	SERVER_SENT_EVENTS("ServerSentEvents"),

	/** HTTP long polling. */
	LONG_POLLING("LongPolling"),

	/**
	 * The forever frame of classic ASP.NET SignalR 2 clients (a hidden iframe's endless HTML page of
	 * script elements, with HTTP POSTs for client data); never offered to ASP.NET Core clients.
	 */
	FOREVER_FRAME("ForeverFrame");

	private final String wireName;

	TransportType(String wireName) {
		this.wireName = wireName;
	}

	/** The name used on the wire, e.g. {@code WebSockets}. */
	public String wireName() {
		return this.wireName;
	}
}
