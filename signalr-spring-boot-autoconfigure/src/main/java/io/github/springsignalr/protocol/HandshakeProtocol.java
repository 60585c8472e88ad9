package io.github.springsignalr.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads handshake requests and writes handshake responses. The handshake is JSON text terminated by
 * the record separator whatever hub protocol follows it.
 */
public final class HandshakeProtocol {

	/** Without name canonicalization: a new name would copy the shared symbol table (see JsonHubProtocol). */
	private static final JsonFactory JSON = JsonFactory.builder()
		.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
		.build();

	private static final byte[] SUCCESS = { '{', '}', TextMessageFormat.RECORD_SEPARATOR };

	private HandshakeProtocol() {
	}

	/**
	 * Reads the handshake request at the start of {@code input} and advances past it.
	 * @return the request, or {@code null} when the separator has not arrived yet
	 * @throws InvalidDataException when the request is malformed
	 */
	public static @Nullable HandshakeRequest parseRequest(ByteBuffer input) {
		int end = TextMessageFormat.indexOfSeparator(input);
		if (end < 0) {
			return null;
		}
		int start = input.position();
		byte[] record = new byte[end - start];
		input.get(record);
		input.get();
		return parseRecord(record);
	}

	private static HandshakeRequest parseRecord(byte[] record) {
		String protocol = null;
		Integer version = null;
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), record)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new InvalidDataException("Unexpected JSON Token Type '"
						+ JsonMessageReader.tokenName(parser.currentToken()) + "'. Expected a JSON Object.");
			}
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "protocol" -> {
						if (value == JsonToken.VALUE_NULL) {
							protocol = null;
						}
						else if (value != JsonToken.VALUE_STRING) {
							throw new InvalidDataException("Expected 'protocol' to be of type String.");
						}
						else {
							protocol = parser.getString();
						}
					}
					case "version" -> {
						if (value == JsonToken.VALUE_NULL) {
							version = null;
						}
						else if (value != JsonToken.VALUE_NUMBER_INT) {
							throw new InvalidDataException("Expected 'version' to be of type Number.");
						}
						else {
							version = parser.getIntValue();
						}
					}
					default -> parser.skipChildren();
				}
			}
			if (token != JsonToken.END_OBJECT) {
				throw new InvalidDataException("Unexpected end when reading JSON.");
			}
		}
		catch (JacksonException ex) {
			throw new InvalidDataException(ex.getOriginalMessage(), ex);
		}
		if (protocol == null) {
			throw new InvalidDataException("Missing required property 'protocol'. Message content: "
					+ new String(record, StandardCharsets.UTF_8));
		}
		if (version == null) {
			throw new InvalidDataException("Missing required property 'version'. Message content: "
					+ new String(record, StandardCharsets.UTF_8));
		}
		return new HandshakeRequest(protocol, version);
	}

	/** The successful handshake response {@code {}} with its separator. */
	public static byte[] successResponse() {
		return SUCCESS.clone();
	}

	/** A handshake response carrying an error. */
	public static byte[] errorResponse(String error) {
		StringBuilder json = new StringBuilder(error.length() + 16).append("{\"error\":");
		JsonStrings.quote(json, error);
		json.append('}').append((char) TextMessageFormat.RECORD_SEPARATOR);
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}
}
