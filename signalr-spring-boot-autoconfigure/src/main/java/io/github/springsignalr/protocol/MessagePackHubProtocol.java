package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.NullNode;

/**
 * The MessagePack hub protocol: each message is a MessagePack array prefixed with its length as a
 * variable-length integer, laid out as in {@code HubProtocol.md}. Values are compatible with
 * MessagePack-CSharp's defaults: objects as maps keyed by property name (as the given mapper names
 * them), enums as strings, {@code byte[]} as bin, instants as the timestamp extension (-1).
 */
public final class MessagePackHubProtocol implements HubProtocol {

	/** The protocol name of the handshake. */
	public static final String NAME = "messagepack";

	private static final int ERROR_RESULT = 1;

	private static final int VOID_RESULT = 2;

	private static final int NON_VOID_RESULT = 3;

	private final JsonMapper mapper;

	/** The mapper reads strings, ints, longs and booleans as the values they are (no deserializer of its own). */
	private final boolean standardScalars;

	/**
	 * @param mapper decides property names and value conversions; instants are added as timestamps
	 */
	public MessagePackHubProtocol(JsonMapper mapper) {
		SimpleModule timestamps = new SimpleModule("signalr-messagepack-timestamps");
		timestamps.addSerializer(Instant.class, new EmbeddedSerializer<>(Instant.class, (value) -> value));
		timestamps.addSerializer(OffsetDateTime.class,
				new EmbeddedSerializer<>(OffsetDateTime.class, OffsetDateTime::toInstant));
		timestamps.addSerializer(ZonedDateTime.class,
				new EmbeddedSerializer<>(ZonedDateTime.class, ZonedDateTime::toInstant));
		timestamps.addSerializer(Date.class, new EmbeddedSerializer<>(Date.class, Date::toInstant));
		this.mapper = mapper.rebuild().addModule(timestamps).build();
		this.standardScalars = readsScalarsAsIs(this.mapper);
	}

	/** Whether {@code mapper} binds string, int, long and boolean nodes to exactly their values. */
	private static boolean readsScalarsAsIs(JsonMapper mapper) {
		try {
			JsonNodeFactory nodes = mapper.getNodeFactory();
			return " a\"B\u00e9 ".equals(mapper.treeToValue(nodes.stringNode(" a\"B\u00e9 "), String.class))
					&& Integer.valueOf(-7).equals(mapper.treeToValue(nodes.numberNode(-7), Integer.class))
					&& Integer.valueOf(-7).equals(mapper.treeToValue(nodes.numberNode(-7), int.class))
					&& Long.valueOf(1L << 40).equals(mapper.treeToValue(nodes.numberNode(1L << 40), Long.class))
					&& Long.valueOf(7).equals(mapper.treeToValue(nodes.numberNode(7), long.class))
					&& Boolean.TRUE.equals(mapper.treeToValue(nodes.booleanNode(true), Boolean.class))
					&& Boolean.FALSE.equals(mapper.treeToValue(nodes.booleanNode(false), boolean.class));
		}
		catch (RuntimeException ex) {
			return false;
		}
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
		return TransferFormat.BINARY;
	}

	@Override
	public void parseMessages(ByteBuffer input, int maxMessageSize, Consumer<HubMessage> messages) {
		while (input.hasRemaining()) {
			int start = input.position();
			long length = 0;
			int shift = 0;
			int index = start;
			boolean complete = false;
			while (index < input.limit() && shift <= 28) {
				int b = input.get(index++) & 0xff;
				length |= (long) (b & 0x7f) << shift;
				shift += 7;
				if ((b & 0x80) == 0) {
					complete = true;
					break;
				}
			}
			if (!complete) {
				if (shift > 28) {
					throw new InvalidDataException("Messages over 2GB in size are not supported.");
				}
				return;
			}
			if (maxMessageSize > 0 && length > maxMessageSize) {
				throw JsonHubProtocol.maximumSizeExceeded(maxMessageSize);
			}
			if (input.limit() - index < length) {
				return;
			}
			byte[] data;
			int offset;
			if (input.hasArray()) {
				data = input.array();
				offset = input.arrayOffset() + index;
			}
			else {
				data = new byte[(int) length];
				input.get(index, data);
				offset = 0;
			}
			HubMessage message = parseMessage(new MessagePackReader(data, offset, offset + (int) length));
			input.position(index + (int) length);
			if (message != null) {
				messages.accept(message);
			}
		}
	}

	private @Nullable HubMessage parseMessage(MessagePackReader reader) {
		int items = reader.readArrayHeader("elementCount");
		if (items == 0) {
			throw new InvalidDataException("Unexpected empty message.");
		}
		int type = reader.readInt("messageType");
		switch (type) {
			case HubMessage.INVOCATION: {
				Map<String, String> headers = readHeaders(reader);
				String invocationId = reader.readNullableString("invocationId");
				String target = reader.readString("target");
				List<@Nullable Object> arguments = readArguments(reader);
				List<String> streamIds = (items > 5) ? readStreamIds(reader) : List.of();
				return new HubMessage.Invocation((invocationId == null || invocationId.isEmpty()) ? null : invocationId,
						target, arguments, streamIds, headers);
			}
			case HubMessage.STREAM_INVOCATION: {
				Map<String, String> headers = readHeaders(reader);
				String invocationId = reader.readString("invocationId");
				String target = reader.readString("target");
				List<@Nullable Object> arguments = readArguments(reader);
				List<String> streamIds = (items > 5) ? readStreamIds(reader) : List.of();
				return new HubMessage.StreamInvocation(invocationId, target, arguments, streamIds, headers);
			}
			case HubMessage.STREAM_ITEM: {
				Map<String, String> headers = readHeaders(reader);
				String invocationId = reader.readString("invocationId");
				return new HubMessage.StreamItem(invocationId, reader.readNode(), headers);
			}
			case HubMessage.COMPLETION: {
				if (items < 4) {
					throw new InvalidDataException("Completion message is missing its result kind.");
				}
				Map<String, String> headers = readHeaders(reader);
				String invocationId = reader.readString("invocationId");
				int kind = reader.readInt("resultKind");
				return switch (kind) {
					case ERROR_RESULT -> new HubMessage.Completion(invocationId, null, reader.readString("error"), false,
							headers);
					case VOID_RESULT -> new HubMessage.Completion(invocationId, null, null, false, headers);
					case NON_VOID_RESULT -> new HubMessage.Completion(invocationId, reader.readNode(), null, true,
							headers);
					default -> throw new InvalidDataException("Invalid invocation result kind.");
				};
			}
			case HubMessage.CANCEL_INVOCATION: {
				Map<String, String> headers = readHeaders(reader);
				return new HubMessage.CancelInvocation(reader.readString("invocationId"), headers);
			}
			case HubMessage.PING:
				return HubMessage.Ping.INSTANCE;
			case HubMessage.CLOSE: {
				if (items > 1 && reader.isMap()) {
					// some clients put a headers map first; the error and flag follow it
					reader.skip();
				}
				String error = (items > 1 && reader.hasRemaining()) ? reader.readNullableString("error") : null;
				boolean allowReconnect = items > 2 && reader.hasRemaining() && reader.readBoolean("allowReconnect");
				return new HubMessage.Close(error, allowReconnect);
			}
			case HubMessage.ACK:
				return new HubMessage.Ack(reader.readLong("sequenceId"));
			case HubMessage.SEQUENCE:
				return new HubMessage.Sequence(reader.readLong("sequenceId"));
			default:
				return null; // newer message types are ignored
		}
	}

	private static Map<String, String> readHeaders(MessagePackReader reader) {
		int count = reader.readMapHeader("headers");
		if (count == 0) {
			return Map.of();
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			headers.put(reader.readString("headers"), reader.readString("headers"));
		}
		return headers;
	}

	private static List<@Nullable Object> readArguments(MessagePackReader reader) {
		int count = reader.readArrayHeader("arguments");
		List<@Nullable Object> arguments = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			arguments.add(reader.readNode());
		}
		return arguments;
	}

	private static List<String> readStreamIds(MessagePackReader reader) {
		int count = reader.readArrayHeader("streamIds");
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(reader.readString("streamIds"));
		}
		return ids;
	}

	@Override
	public byte[] writeMessage(HubMessage message) {
		MessagePackWriter body = new MessagePackWriter(64);
		if (message instanceof HubMessage.Invocation m) {
			body.writeArrayHeader(6);
			body.writeLong(HubMessage.INVOCATION);
			body.writeMapHeader(0);
			if (m.invocationId() != null) {
				body.writeString(m.invocationId());
			}
			else {
				body.writeNil();
			}
			body.writeString(m.target());
			writeValues(body, m.arguments());
			writeStrings(body, m.streamIds());
		}
		else if (message instanceof HubMessage.StreamItem m) {
			body.writeArrayHeader(4);
			body.writeLong(HubMessage.STREAM_ITEM);
			body.writeMapHeader(0);
			body.writeString(m.invocationId());
			writeValue(body, m.item());
		}
		else if (message instanceof HubMessage.Completion m) {
			boolean hasValue = m.error() != null || m.hasResult();
			body.writeArrayHeader(hasValue ? 5 : 4);
			body.writeLong(HubMessage.COMPLETION);
			body.writeMapHeader(0);
			body.writeString(m.invocationId());
			if (m.error() != null) {
				body.writeLong(ERROR_RESULT);
				body.writeString(m.error());
			}
			else if (m.hasResult()) {
				body.writeLong(NON_VOID_RESULT);
				writeValue(body, m.result());
			}
			else {
				body.writeLong(VOID_RESULT);
			}
		}
		else if (message instanceof HubMessage.StreamInvocation m) {
			body.writeArrayHeader(6);
			body.writeLong(HubMessage.STREAM_INVOCATION);
			body.writeMapHeader(0);
			body.writeString(m.invocationId());
			body.writeString(m.target());
			writeValues(body, m.arguments());
			writeStrings(body, m.streamIds());
		}
		else if (message instanceof HubMessage.CancelInvocation m) {
			body.writeArrayHeader(3);
			body.writeLong(HubMessage.CANCEL_INVOCATION);
			body.writeMapHeader(0);
			body.writeString(m.invocationId());
		}
		else if (message instanceof HubMessage.Ping) {
			body.writeArrayHeader(1);
			body.writeLong(HubMessage.PING);
		}
		else if (message instanceof HubMessage.Close m) {
			body.writeArrayHeader(3);
			body.writeLong(HubMessage.CLOSE);
			if (m.error() != null) {
				body.writeString(m.error());
			}
			else {
				body.writeNil();
			}
			body.writeBoolean(m.allowReconnect());
		}
		else if (message instanceof HubMessage.Ack m) {
			body.writeArrayHeader(2);
			body.writeLong(HubMessage.ACK);
			body.writeLong(m.sequenceId());
		}
		else if (message instanceof HubMessage.Sequence m) {
			body.writeArrayHeader(2);
			body.writeLong(HubMessage.SEQUENCE);
			body.writeLong(m.sequenceId());
		}
		return frame(body);
	}

	private static byte[] frame(MessagePackWriter body) {
		int length = body.size();
		byte[] payload = body.toByteArray();
		byte[] prefix = new byte[5];
		int prefixLength = 0;
		int remaining = length;
		do {
			int b = remaining & 0x7f;
			remaining >>>= 7;
			if (remaining > 0) {
				b |= 0x80;
			}
			prefix[prefixLength++] = (byte) b;
		}
		while (remaining > 0);
		byte[] framed = new byte[prefixLength + length];
		System.arraycopy(prefix, 0, framed, 0, prefixLength);
		System.arraycopy(payload, 0, framed, prefixLength, length);
		return framed;
	}

	private void writeValues(MessagePackWriter body, List<@Nullable Object> values) {
		body.writeArrayHeader(values.size());
		for (Object value : values) {
			writeValue(body, value);
		}
	}

	private static void writeStrings(MessagePackWriter body, List<String> values) {
		body.writeArrayHeader(values.size());
		for (String value : values) {
			body.writeString(value);
		}
	}

	private void writeValue(MessagePackWriter body, @Nullable Object value) {
		if (value == null) {
			body.writeNil();
		}
		else if (value instanceof String string) {
			body.writeString(string);
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof Byte) {
			body.writeLong(((Number) value).longValue());
		}
		else if (value instanceof Boolean bool) {
			body.writeBoolean(bool);
		}
		else if (value instanceof byte[] bytes) {
			body.writeBinary(bytes);
		}
		else if (value instanceof Instant instant) {
			body.writeTimestamp(instant);
		}
		else if (value instanceof JsonNode node) {
			body.writeNode(node);
		}
		else {
			body.writeNode(this.mapper.valueToTree(value));
		}
	}

	@Override
	public @Nullable Object bind(@Nullable Object raw, Type type) {
		if (this.standardScalars && raw instanceof JsonNode scalar) {
			// a string, an int, a long or a boolean for a parameter of its type: the value as it was read;
			// anything else goes through the mapper (coercions, range checks, error texts)
			if (type == String.class && scalar.isString()) {
				return scalar.stringValue();
			}
			if ((type == long.class || type == Long.class) && (scalar.isInt() || scalar.isLong())) {
				return scalar.longValue();
			}
			if ((type == int.class || type == Integer.class) && scalar.isInt()) {
				return scalar.intValue();
			}
			if ((type == boolean.class || type == Boolean.class) && scalar.isBoolean()) {
				return scalar.booleanValue();
			}
		}
		JsonNode node = (raw instanceof JsonNode json) ? json : (raw == null) ? NullNode.getInstance()
				: this.mapper.valueToTree(raw);
		return this.mapper.treeToValue(node, this.mapper.constructType(type));
	}

	/** Hands a date-time to the tree as an embedded instant, which the writer turns into a timestamp. */
	private static final class EmbeddedSerializer<T> extends ValueSerializer<T> {

		private final Class<T> type;

		private final java.util.function.Function<T, Instant> toInstant;

		EmbeddedSerializer(Class<T> type, java.util.function.Function<T, Instant> toInstant) {
			this.type = type;
			this.toInstant = toInstant;
		}

		@Override
		public Class<?> handledType() {
			return this.type;
		}

		@Override
		public void serialize(T value, JsonGenerator generator, SerializationContext context) {
			generator.writeEmbeddedObject(this.toInstant.apply(value));
		}
	}
}
