package io.github.springsignalr.connection;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.protocol.JsonStrings;

/**
 * The JSON bodies of negotiate's answers, as the reference writes them: the new connection and the
 * transports it may use, or the error that refused it.
 */
public final class NegotiateResponse {

	/** Transports in the order negotiate lists them. */
	public static final List<TransportType> ORDER = List.of(TransportType.WEB_SOCKETS, TransportType.SERVER_SENT_EVENTS,
			TransportType.LONG_POLLING);

	private NegotiateResponse() {
	}

	/** The answer for a new connection: its id, its token from version 1, and the transports the endpoint offers. */
	public static String of(HttpConnection connection, int negotiateVersion, boolean stateful, ConnectionOptions options) {
		return of(connection, negotiateVersion, stateful, options, null);
	}

	/**
	 * The answer for a new connection: its id, its token from version 1, the transports the endpoint
	 * offers, and how long the caller's credentials live when the endpoint has authentication refresh.
	 */
	public static String of(HttpConnection connection, int negotiateVersion, boolean stateful, ConnectionOptions options,
			@Nullable Integer tokenLifetimeSeconds) {
		StringBuilder json = new StringBuilder(256);
		json.append('{');
		if (stateful) {
			json.append("\"useStatefulReconnect\":true,");
		}
		json.append("\"negotiateVersion\":").append(negotiateVersion).append(",\"connectionId\":\"")
			.append(connection.id()).append('"');
		if (negotiateVersion > 0) {
			json.append(",\"connectionToken\":\"").append(connection.token()).append('"');
		}
		json.append(",\"availableTransports\":[");
		boolean first = true;
		for (TransportType transport : ORDER) {
			if (!options.transports().contains(transport)) {
				continue;
			}
			if (!first) {
				json.append(',');
			}
			first = false;
			json.append("{\"transport\":\"").append(transport.wireName()).append("\",\"transferFormats\":")
				.append(transport == TransportType.SERVER_SENT_EVENTS ? "[\"Text\"]" : "[\"Text\",\"Binary\"]")
				.append('}');
		}
		json.append(']');
		if (tokenLifetimeSeconds != null) {
			json.append(",\"tokenLifetimeSeconds\":").append(tokenLifetimeSeconds.intValue());
		}
		return json.append('}').toString();
	}

	/** The answer refusing the negotiation. */
	public static String error(String error) {
		StringBuilder json = new StringBuilder("{\"error\":");
		JsonStrings.quote(json, error).append('}');
		return json.toString();
	}
}
