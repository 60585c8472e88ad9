package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * What a handler sees of a classic connection, whatever it is to it (a hub's view, a persistent
 * connection): the connection's id, user, request, items and transport, always text, and its end.
 */
abstract class LegacyView implements Connection {

	final LegacyConnection connection;

	/**
	 * Raw data as one JSON value of a PersistentResponse's {@code M}: JSON as it is (compacted), anything
	 * else as a JSON string, so that no send can break the client's parsing of the response.
	 */
	static byte[] jsonValue(JsonMapper mapper, byte[] data) {
		try {
			JsonNode json = mapper.readTree(data);
			if (json != null && !json.isMissingNode()) {
				return mapper.writeValueAsBytes(json);
			}
		}
		catch (JacksonException ex) {
			// not JSON: a string
		}
		return mapper.writeValueAsBytes(new String(data, StandardCharsets.UTF_8));
	}

	LegacyView(LegacyConnection connection) {
		this.connection = connection;
	}

	@Override
	public final String id() {
		return this.connection.id();
	}

	@Override
	public final TransportType transport() {
		return this.connection.transport();
	}

	@Override
	public final ConnectionRequest request() {
		return this.connection.request();
	}

	@Override
	public final @Nullable Principal user() {
		return this.connection.user();
	}

	@Override
	public final Map<Object, Object> items() {
		return this.connection.items();
	}

	@Override
	public final TransferFormat transferFormat() {
		return TransferFormat.TEXT;
	}

	@Override
	public final void transferFormat(TransferFormat format) {
		// always text
	}

	@Override
	public final void close() {
		this.connection.close();
	}

	@Override
	public final void abort(@Nullable Throwable cause) {
		this.connection.close();
	}

	@Override
	public final boolean isClosed() {
		return this.connection.isEnded();
	}
}
