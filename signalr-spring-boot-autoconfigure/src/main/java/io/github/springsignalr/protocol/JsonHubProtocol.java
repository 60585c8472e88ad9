package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

	/** Reads the records of the messages a client sends. */
	private final JsonMessageReader reader;

	/** The mapper's types of the parameter types seen so far, so each is resolved once. */
	private final Map<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

	public JsonHubProtocol(JsonMapper mapper) {
		this.mapper = mapper;
		this.standardScalars = readsScalarsAsIs(mapper);
		this.scalarWriter = new JsonScalarWriter(mapper);
		this.reader = new JsonMessageReader(mapper, this.standardScalars);
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
				message = this.reader.parseRecord(input.array(), input.arrayOffset() + start, end - start);
			}
			else {
				byte[] copy = new byte[end - start];
				input.get(start, copy);
				message = this.reader.parseRecord(copy, 0, copy.length);
			}
			input.position(end + 1);
			if (message != null) {
				messages.accept(message);
			}
		}
	}

	static InvalidDataException maximumSizeExceeded(int maxMessageSize) {
		return new InvalidDataException("The maximum message size of " + maxMessageSize
				+ "B was exceeded. The message size can be configured with signalr.hub.maximum-receive-message-size.");
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
