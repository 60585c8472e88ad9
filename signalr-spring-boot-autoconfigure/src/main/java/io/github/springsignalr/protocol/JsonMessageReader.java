package io.github.springsignalr.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Reads one record of the JSON hub protocol into its {@link HubMessage}, as {@link JsonScalarWriter}
 * writes the common messages: arguments and items that are strings, integers or booleans are kept as
 * their Java values when the mapper reads those as they are, anything else as a tree.
 */
final class JsonMessageReader {

	/**
	 * Whether the mapper reads strings, integers and booleans as Jackson's own deserializers do: then
	 * arguments of those types skip the tree (see {@link JsonHubProtocol#bind}).
	 */
	private final boolean standardScalars;

	/**
	 * The mapper's parser factory without property name canonicalization: client data decides the names,
	 * and a name never seen before costs a copy of the shared symbol table (hundreds of kilobytes once it
	 * fills up), so a stream of messages with new names would allocate thousands of times its size.
	 */
	private final JsonFactory parsers;

	/** Reads a value of a message (an argument, item or result) as a tree from where the parser is. */
	private final ObjectReader trees;

	JsonMessageReader(JsonMapper mapper, boolean standardScalars) {
		this.standardScalars = standardScalars;
		this.parsers = mapper.tokenStreamFactory().rebuild()
			.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
			.build();
		this.trees = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	@Nullable HubMessage parseRecord(byte[] data, int offset, int length) {
		try (JsonParser parser = this.parsers.createParser(ObjectReadContext.empty(), data, offset, length)) {
			return readMessage(parser);
		}
		catch (JacksonException ex) {
			throw new InvalidDataException("Error reading JSON.", ex);
		}
	}

	private @Nullable HubMessage readMessage(JsonParser parser) {
		JsonToken first = parser.nextToken();
		if (first != JsonToken.START_OBJECT) {
			throw new InvalidDataException("Unexpected JSON Token Type '" + tokenName(first)
					+ "'. Expected a JSON Object.");
		}
		Integer type = null;
		String invocationId = null;
		String target = null;
		String error = null;
		boolean allowReconnect = false;
		boolean hasResult = false;
		boolean hasItem = false;
		JsonNode result = null;
		Object item = null;
		List<@Nullable Object> arguments = null;
		List<String> streamIds = null;
		Map<String, String> headers = null;
		Long sequenceId = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "type" -> type = readInt(parser, value, name);
				case "invocationId" -> invocationId = readString(parser, value, name);
				case "target" -> target = readString(parser, value, name);
				case "error" -> error = readString(parser, value, name);
				case "allowReconnect" -> {
					if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
						throw new InvalidDataException("Expected 'allowReconnect' to be true or false.");
					}
					allowReconnect = value == JsonToken.VALUE_TRUE;
				}
				case "result" -> {
					hasResult = true;
					result = readTree(parser);
				}
				case "item" -> {
					hasItem = true;
					item = readArgument(parser, value);
				}
				case "arguments" -> arguments = readArguments(parser, value);
				case "streamIds" -> streamIds = readStreamIds(parser, value);
				case "headers" -> headers = readHeaders(parser, value);
				case "sequenceId" -> {
					if (value != JsonToken.VALUE_NUMBER_INT) {
						throw new InvalidDataException("Expected 'sequenceId' to be of type Number.");
					}
					sequenceId = parser.getLongValue();
				}
				default -> parser.skipChildren();
			}
		}
		if (type == null) {
			throw new InvalidDataException("Missing required property 'type'.");
		}
		Map<String, String> messageHeaders = (headers != null) ? headers : Map.of();
		List<String> ids = (streamIds != null) ? streamIds : List.of();
		return switch (type) {
			case HubMessage.INVOCATION -> new HubMessage.Invocation(invocationId, required(target, "target"),
					required(arguments, "arguments"), ids, messageHeaders);
			case HubMessage.STREAM_INVOCATION -> new HubMessage.StreamInvocation(
					required(invocationId, "invocationId"), required(target, "target"),
					required(arguments, "arguments"), ids, messageHeaders);
			case HubMessage.STREAM_ITEM -> {
				if (!hasItem) {
					throw new InvalidDataException("Missing required property 'item'.");
				}
				yield new HubMessage.StreamItem(required(invocationId, "invocationId"), item, messageHeaders);
			}
			case HubMessage.COMPLETION -> {
				if (error != null && hasResult) {
					throw new InvalidDataException("The 'error' and 'result' properties are mutually exclusive.");
				}
				yield new HubMessage.Completion(required(invocationId, "invocationId"), result, error, hasResult,
						messageHeaders);
			}
			case HubMessage.CANCEL_INVOCATION -> new HubMessage.CancelInvocation(
					required(invocationId, "invocationId"), messageHeaders);
			case HubMessage.PING -> HubMessage.Ping.INSTANCE;
			case HubMessage.CLOSE -> new HubMessage.Close(error, allowReconnect);
			case HubMessage.ACK -> new HubMessage.Ack(required(sequenceId, "sequenceId"));
			case HubMessage.SEQUENCE -> new HubMessage.Sequence(required(sequenceId, "sequenceId"));
			default -> null; // newer message types are ignored, as the reference does
		};
	}

	static String tokenName(@Nullable JsonToken token) {
		if (token == null) {
			return "None";
		}
		return switch (token) {
			case START_ARRAY -> "StartArray";
			case END_ARRAY -> "EndArray";
			case END_OBJECT -> "EndObject";
			case VALUE_STRING -> "String";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "Number";
			case VALUE_TRUE -> "True";
			case VALUE_FALSE -> "False";
			case VALUE_NULL -> "Null";
			default -> token.name();
		};
	}

	private static <T> T required(@Nullable T value, String property) {
		if (value == null) {
			throw new InvalidDataException("Missing required property '" + property + "'.");
		}
		return value;
	}

	private static int readInt(JsonParser parser, JsonToken token, String property) {
		if (token != JsonToken.VALUE_NUMBER_INT) {
			throw new InvalidDataException("Expected '" + property + "' to be of type Number.");
		}
		return parser.getIntValue();
	}

	private static @Nullable String readString(JsonParser parser, JsonToken token, String property) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.VALUE_STRING) {
			throw new InvalidDataException("Expected '" + property + "' to be of type String.");
		}
		return parser.getString();
	}

	private JsonNode readTree(JsonParser parser) {
		JsonNode node = this.trees.readValue(parser);
		return (node != null) ? node : NullNode.getInstance();
	}

	private List<@Nullable Object> readArguments(JsonParser parser, JsonToken token) {
		if (token != JsonToken.START_ARRAY) {
			throw new InvalidDataException("Expected 'arguments' to be of type Array.");
		}
		List<@Nullable Object> arguments = new ArrayList<>(4);
		JsonToken next;
		while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
			arguments.add(readArgument(parser, next));
		}
		return arguments;
	}

	/**
	 * One argument: a string, an int or long, or a boolean as its Java value when the mapper reads those
	 * as they are (no tree to build and bind again); anything else as a tree.
	 */
	private @Nullable Object readArgument(JsonParser parser, @Nullable JsonToken token) {
		if (this.standardScalars && token != null) {
			switch (token) {
				case VALUE_STRING:
					return parser.getString();
				case VALUE_TRUE:
					return Boolean.TRUE;
				case VALUE_FALSE:
					return Boolean.FALSE;
				case VALUE_NUMBER_INT:
					JsonParser.NumberType numberType = parser.getNumberType();
					if (numberType == JsonParser.NumberType.INT) {
						return parser.getIntValue();
					}
					if (numberType == JsonParser.NumberType.LONG) {
						return parser.getLongValue();
					}
					break;
				default:
					break;
			}
		}
		return readTree(parser);
	}

	private static List<String> readStreamIds(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NULL) {
			throw new InvalidDataException("Null value for 'streamIds' is not valid.");
		}
		if (token != JsonToken.START_ARRAY) {
			throw new InvalidDataException("Expected 'streamIds' to be of type Array.");
		}
		List<String> ids = new ArrayList<>(1);
		JsonToken next;
		while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
			if (next != JsonToken.VALUE_STRING) {
				throw new InvalidDataException("Expected 'streamIds' to contain strings.");
			}
			ids.add(parser.getString());
		}
		return ids;
	}

	private static @Nullable Map<String, String> readHeaders(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_OBJECT) {
			throw new InvalidDataException("Expected 'headers' to be of type StartObject.");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (value != JsonToken.VALUE_STRING) {
				throw new InvalidDataException("Expected header '" + name + "' to be of type String.");
			}
			headers.put(name, parser.getString());
		}
		return headers;
	}
}
