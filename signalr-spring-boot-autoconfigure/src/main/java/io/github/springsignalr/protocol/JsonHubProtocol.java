package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * The JSON hub protocol: each message is a JSON object followed by the record separator
 * {@code 0x1E}. Properties may come in any order; unknown properties and message types are ignored;
 * {@code headers} are accepted and never written; null fields are never written.
 *
 * <p>Arguments, items and results are serialized with the given {@link JsonMapper}, which decides
 * how application types look on the wire.
 */
public final class JsonHubProtocol implements HubProtocol {

	/** The protocol name of the handshake. */
	public static final String NAME = "json";

	private final JsonMapper mapper;

	/**
	 * Whether the mapper reads strings, integers and booleans as Jackson's own deserializers do: then
	 * arguments of those types skip the tree and the binding (see {@link #bind}).
	 */
	private final boolean standardScalars;

	private final JsonScalarWriter scalarWriter;

	/**
	 * The mapper's parser factory without property name canonicalization: client data decides the names,
	 * and a name never seen before costs a copy of the shared symbol table (hundreds of kilobytes once it
	 * fills up), so a stream of messages with new names would allocate thousands of times its size.
	 */
	private final JsonFactory parsers;

	/** Reads a value of a message (an argument, item or result) as a tree from where the parser is. */
	private final ObjectReader trees;

	/** The mapper's types of the parameter types seen so far, so each is resolved once. */
	private final Map<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

	public JsonHubProtocol(JsonMapper mapper) {
		this.mapper = mapper;
		this.standardScalars = readsScalarsAsIs(mapper);
		this.scalarWriter = new JsonScalarWriter(mapper);
		this.parsers = mapper.tokenStreamFactory().rebuild()
			.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
			.build();
		this.trees = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	/** Whether {@code mapper} reads a string, an int, a long and booleans to exactly what the tokens say. */
	private static boolean readsScalarsAsIs(JsonMapper mapper) {
		try {
			return " a\"B\u00e9 ".equals(mapper.readValue("\" a\\\"B\u00e9 \"", String.class))
					&& Integer.valueOf(-7).equals(mapper.readValue("-7", Integer.class))
					&& Integer.valueOf(-7).equals(mapper.readValue("-7", int.class))
					&& Long.valueOf(1L << 40).equals(mapper.readValue(Long.toString(1L << 40), Long.class))
					&& Long.valueOf(7).equals(mapper.readValue("7", long.class))
					&& Boolean.TRUE.equals(mapper.readValue("true", Boolean.class))
					&& Boolean.FALSE.equals(mapper.readValue("false", boolean.class));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The mapper used for arguments and results. */
	public JsonMapper mapper() {
		return this.mapper;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public int version() {
		return 2;
	}

	@Override
	public TransferFormat transferFormat() {
		return TransferFormat.TEXT;
	}

	@Override
	public void parseMessages(ByteBuffer input, int maxMessageSize, Consumer<HubMessage> messages) {
		while (input.hasRemaining()) {
			int end = TextMessageFormat.indexOfSeparator(input);
			int start = input.position();
			if (end < 0) {
				if (maxMessageSize > 0 && input.remaining() > maxMessageSize) {
					throw maximumSizeExceeded(maxMessageSize);
				}
				return;
			}
			if (maxMessageSize > 0 && end - start > maxMessageSize) {
				throw maximumSizeExceeded(maxMessageSize);
			}
			HubMessage message;
			if (input.hasArray()) {
				message = parseRecord(input.array(), input.arrayOffset() + start, end - start);
			}
			else {
				byte[] copy = new byte[end - start];
				input.get(start, copy);
				message = parseRecord(copy, 0, copy.length);
			}
			input.position(end + 1);
			if (message != null) {
				messages.accept(message);
			}
		}
	}

	static InvalidDataException maximumSizeExceeded(int maxMessageSize) {
		return new InvalidDataException("The maximum message size of " + maxMessageSize
				+ "B was exceeded. The message size can be configured in AddHubOptions.");
	}

	private @Nullable HubMessage parseRecord(byte[] data, int offset, int length) {
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

	@Override
	public byte[] writeMessage(HubMessage message) {
		byte[] scalars = this.scalarWriter.write(message);
		if (scalars != null) {
			return scalars;
		}
		return writeWithMapper(message);
	}

	/** The message as the mapper writes it, with its record separator. */
	byte[] writeWithMapper(HubMessage message) {
		try (ByteArrayBuilder out = new ByteArrayBuilder(128)) {
			try (JsonGenerator json = this.mapper.createGenerator(out)) {
				writeObject(json, message);
			}
			out.append(TextMessageFormat.RECORD_SEPARATOR);
			return out.toByteArray();
		}
	}

	private void writeObject(JsonGenerator json, HubMessage message) {
		json.writeStartObject();
		// the envelope's numbers are raw: a mapper that writes numbers as strings must not change the protocol
		json.writeName("type");
		json.writeRawValue(Integer.toString(message.type()));
		if (message instanceof HubMessage.Invocation m) {
			if (m.invocationId() != null) {
				json.writeStringProperty("invocationId", m.invocationId());
			}
			json.writeStringProperty("target", m.target());
			writeArguments(json, m.arguments());
			writeStreamIds(json, m.streamIds());
		}
		else if (message instanceof HubMessage.StreamItem m) {
			json.writeStringProperty("invocationId", m.invocationId());
			json.writeName("item");
			json.writePOJO(m.item());
		}
		else if (message instanceof HubMessage.Completion m) {
			json.writeStringProperty("invocationId", m.invocationId());
			if (m.error() != null) {
				json.writeStringProperty("error", m.error());
			}
			else if (m.hasResult()) {
				json.writeName("result");
				json.writePOJO(m.result());
			}
		}
		else if (message instanceof HubMessage.StreamInvocation m) {
			json.writeStringProperty("invocationId", m.invocationId());
			json.writeStringProperty("target", m.target());
			writeArguments(json, m.arguments());
			writeStreamIds(json, m.streamIds());
		}
		else if (message instanceof HubMessage.CancelInvocation m) {
			json.writeStringProperty("invocationId", m.invocationId());
		}
		else if (message instanceof HubMessage.Close m) {
			if (m.error() != null) {
				json.writeStringProperty("error", m.error());
			}
			if (m.allowReconnect()) {
				json.writeBooleanProperty("allowReconnect", true);
			}
		}
		else if (message instanceof HubMessage.Ack m) {
			json.writeName("sequenceId");
			json.writeRawValue(Long.toString(m.sequenceId()));
		}
		else if (message instanceof HubMessage.Sequence m) {
			json.writeName("sequenceId");
			json.writeRawValue(Long.toString(m.sequenceId()));
		}
		json.writeEndObject();
	}

	private static void writeArguments(JsonGenerator json, List<@Nullable Object> arguments) {
		json.writeName("arguments");
		json.writeStartArray();
		for (Object argument : arguments) {
			json.writePOJO(argument);
		}
		json.writeEndArray();
	}

	private static void writeStreamIds(JsonGenerator json, List<String> streamIds) {
		if (!streamIds.isEmpty()) {
			json.writeName("streamIds");
			json.writeStartArray();
			for (String id : streamIds) {
				json.writeString(id);
			}
			json.writeEndArray();
		}
	}

	@Override
	public @Nullable Object bind(@Nullable Object raw, Type type) {
		if (this.standardScalars && raw != null && !(raw instanceof JsonNode)) {
			// a scalar argument read as it was sent: taken as is when it is of the parameter's type, as
			// Jackson would read it; anything else goes through the mapper as before (coercions, errors)
			if (type == String.class) {
				if (raw instanceof String) {
					return raw;
				}
			}
			else if (type == long.class || type == Long.class) {
				if (raw instanceof Long || raw instanceof Integer) {
					return ((Number) raw).longValue();
				}
			}
			else if (type == int.class || type == Integer.class) {
				if (raw instanceof Integer) {
					return raw;
				}
			}
			else if (type == boolean.class || type == Boolean.class) {
				if (raw instanceof Boolean) {
					return raw;
				}
			}
		}
		JsonNode node = (raw instanceof JsonNode json) ? json : this.mapper.valueToTree(raw);
		return this.mapper.treeToValue(node, javaType(type));
	}

	private JavaType javaType(Type type) {
		JavaType javaType = this.javaTypes.get(type);
		if (javaType == null) {
			javaType = this.mapper.constructType(type);
			if (this.javaTypes.size() < 1024) {
				this.javaTypes.put(type, javaType);
			}
		}
		return javaType;
	}
}
