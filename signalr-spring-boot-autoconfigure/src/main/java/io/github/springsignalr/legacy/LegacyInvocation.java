package io.github.springsignalr.legacy;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * A client's hub invocation in the classic protocol, {@code {"H":hub,"M":method,"A":[...],"I":id,"S":{...}}},
 * with the id kept as a string whether the client sent a number or a string.
 * @param hub the hub name as sent
 * @param method the method name as sent
 * @param arguments the arguments as sent (strings, integers and booleans as their Java values, anything else
 * as a JSON tree), bound later to the method's parameter types
 * @param id the invocation id
 * @param state the caller state the client sent, as JSON text, or {@code null}
 */
public record LegacyInvocation(String hub, String method, List<@Nullable Object> arguments, String id,
		@Nullable String state) {

	/** The longest caller state accepted, in characters of JSON. */
	static final int MAX_STATE_LENGTH = 4096;

	static final String STATE_TOO_LONG = "State has exceeded the maximum length of " + MAX_STATE_LENGTH + " bytes.";

	/**
	 * Reads an invocation.
	 * @return {@code null} when {@code data} is not one (junk and keep-alive frames are ignored)
	 */
	public static @Nullable LegacyInvocation parse(JsonMapper mapper, String data) {
		return new Reader(mapper).read(data);
	}

	/** Whether the caller state is over the limit. */
	boolean stateTooLong() {
		String state = this.state;
		return state != null && state.length() > MAX_STATE_LENGTH;
	}

	/** The error result of this invocation: {@code {"I":"<id>","E":"<message>"}}. */
	String error(JsonMapper mapper, String message) {
		return "{\"I\":" + mapper.writeValueAsString(id()) + ",\"E\":" + mapper.writeValueAsString(message) + "}";
	}

	/**
	 * Reads invocations token by token, without a tree of the whole message: arguments that are strings,
	 * integers or booleans are kept as their Java values (bound by the hub protocol as the JSON protocol
	 * binds them), any other argument as a tree. Property names are not canonicalized: the client decides
	 * them, and each new one would cost a copy of the mapper's shared symbol table.
	 */
	static final class Reader {

		private final JsonFactory parsers;

		private final ObjectReader trees;

		Reader(JsonMapper mapper) {
			this.parsers = mapper.tokenStreamFactory()
				.rebuild()
				.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
				.build();
			this.trees = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		}

		/** The invocation {@code data} is, or {@code null} when it is none. */
		@Nullable LegacyInvocation read(String data) {
			try (JsonParser parser = this.parsers.createParser(ObjectReadContext.empty(), data)) {
				return read(parser);
			}
			catch (JacksonException ex) {
				return null;
			}
		}

		private @Nullable LegacyInvocation read(JsonParser parser) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			String hub = null;
			String method = null;
			String id = null;
			String state = null;
			List<@Nullable Object> arguments = null;
			boolean valid = true;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "H" -> hub = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
					case "M" -> method = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
					case "I" -> id = id(parser, value);
					case "S" -> state = (value == JsonToken.START_OBJECT) ? tree(parser).toString() : skip(parser);
					case "A" -> {
						arguments = (value == JsonToken.START_ARRAY) ? arguments(parser) : null;
						valid = value == JsonToken.START_ARRAY || value == JsonToken.VALUE_NULL;
					}
					default -> parser.skipChildren();
				}
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null || !valid || hub == null || method == null
					|| id == null) {
				return null;
			}
			return new LegacyInvocation(hub, method, (arguments != null) ? arguments : new ArrayList<>(0), id, state);
		}

		private @Nullable String id(JsonParser parser, JsonToken token) {
			return switch (token) {
				case VALUE_STRING -> parser.getString();
				case VALUE_NUMBER_INT -> parser.getString();
				case VALUE_NUMBER_FLOAT -> tree(parser).toString();
				default -> skip(parser);
			};
		}

		private List<@Nullable Object> arguments(JsonParser parser) {
			List<@Nullable Object> arguments = new ArrayList<>(4);
			JsonToken token;
			while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
				arguments.add(switch (token) {
					case VALUE_STRING -> parser.getString();
					case VALUE_TRUE -> Boolean.TRUE;
					case VALUE_FALSE -> Boolean.FALSE;
					case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
						case INT -> parser.getIntValue();
						case LONG -> parser.getLongValue();
						default -> tree(parser);
					};
					default -> tree(parser);
				});
			}
			return arguments;
		}

		private JsonNode tree(JsonParser parser) {
			JsonNode node = this.trees.readValue(parser);
			return (node != null) ? node : NullNode.getInstance();
		}

		private static @Nullable String skip(JsonParser parser) {
			parser.skipChildren();
			return null;
		}
	}
}
