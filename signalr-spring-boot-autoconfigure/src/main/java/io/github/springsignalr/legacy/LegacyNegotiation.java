package io.github.springsignalr.legacy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The negotiate response of the classic protocol and its protocol version: the client's
 * {@code clientProtocol} clamped to [1.2, 2.0], {@code 1.2} when missing or unreadable.
 */
public final class LegacyNegotiation {

	private static final int MIN = 12;

	private static final int MAX = 20;

	private LegacyNegotiation() {
	}

	/**
	 * The protocol version answered to a client, as {@code major * 10 + minor}.
	 * @param clientProtocol the version the client sent, if any
	 */
	public static int protocolVersion(@Nullable String clientProtocol) {
		if (clientProtocol == null) {
			return MIN;
		}
		String[] parts = clientProtocol.trim().split("\\.");
		if (parts.length == 0) {
			// only dots: nothing to parse (the reference's Version.TryParse fails too)
			return MIN;
		}
		int version;
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			if (parts.length > 2 || major < 0 || minor < 0 || minor > 9 || major > 99) {
				return MIN;
			}
			version = major * 10 + minor;
		}
		catch (NumberFormatException ex) {
			return MIN;
		}
		return Math.max(MIN, Math.min(MAX, version));
	}

	/** A version as the wire writes it, {@code major.minor}. */
	public static String format(int version) {
		return (version / 10) + "." + (version % 10);
	}

	/**
	 * The negotiate payload's JSON, with all ten fields of the reference.
	 * @param url the request path without {@code /negotiate}, context path included
	 * @param tryWebSockets whether clients may try WebSockets
	 */
	public static String payload(JsonMapper mapper, String url, String token, String connectionId,
			LegacyOptions options, int protocolVersion, boolean tryWebSockets) {
		Duration keepAliveTimeout = options.keepAliveTimeout();
		return "{\"Url\":" + mapper.writeValueAsString(url) + ",\"ConnectionToken\":"
				+ mapper.writeValueAsString(token) + ",\"ConnectionId\":" + mapper.writeValueAsString(connectionId)
				+ ",\"KeepAliveTimeout\":" + ((keepAliveTimeout != null) ? seconds(keepAliveTimeout) : "null")
				+ ",\"DisconnectTimeout\":" + seconds(options.disconnectTimeout()) + ",\"ConnectionTimeout\":"
				+ seconds(options.connectionTimeout()) + ",\"TryWebSockets\":" + tryWebSockets
				+ ",\"ProtocolVersion\":\"" + format(protocolVersion) + "\",\"TransportConnectTimeout\":"
				+ seconds(options.transportConnectTimeout()) + ",\"LongPollDelay\":"
				+ seconds(options.longPollDelay()) + "}";
	}

	private static String seconds(Duration duration) {
		return Double.toString(duration.toMillis() / 1000.0);
	}
}
