package io.github.springsignalr.redis;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * The payloads the nodes exchange on the backplane's channels, and their binary layout (documented in
 * {@link RedisHubLifetimeManager}). Every payload starts with the format version, its kind and the id of
 * the node that published it.
 */
final class RedisProtocol {

	// under the manager's name, where its warnings have always been logged
	private static final Log logger = LogFactory.getLog(RedisHubLifetimeManager.class);

	/** Stands for a message received from another node: connections look only at its type. */
	private static final HubMessage INVOCATION_KIND = new HubMessage.Invocation(null, "", List.of());

	/** Version of the layout; a node drops payloads of another version. */
	static final int VERSION = 1;

	static final int INVOCATION = 1;

	static final int GROUP_COMMAND = 2;

	static final int CLIENT_INVOCATION = 3;

	static final int ACK = 4;

	static final int RESULT = 5;

	private RedisProtocol() {
	}

	/** A payload of the backplane. */
	sealed interface Payload permits Invocation, GroupCommand, ClientInvocation, Ack, Result {

		/** The node that published it. */
		String origin();

	}

	/**
	 * A hub message for connections: its bytes in every protocol in use, the connections it skips, and
	 * when it is sent to several groups at once, their names (a member of several gets it once, from the
	 * first of them it is in).
	 */
	record Invocation(String origin, List<String> excluded, List<String> groups,
			Map<String, byte[]> serializations) implements Payload {
	}

	/** Adds a connection to a group, or removes it; its owner answers with an {@link Ack}. */
	record GroupCommand(String origin, int id, boolean add, String connectionId, String group) implements Payload {
	}

	/** An invocation waiting for a client result, serialized under the id the client will answer to. */
	record ClientInvocation(String origin, String invocationId, Map<String, byte[]> serializations)
			implements Payload {
	}

	/** The group command with this id was carried out. */
	record Ack(String origin, int id) implements Payload {
	}

	/** The client's Completion of a {@link ClientInvocation}, in the protocol of its connection. */
	record Result(String origin, String invocationId, String protocol, byte[] completion) implements Payload {
	}

	/** A message's bytes in each protocol, as the payloads carry them. */
	static Map<String, byte[]> serializations(SerializedHubMessage message, List<HubProtocol> protocols) {
		Map<String, byte[]> serializations = new LinkedHashMap<>();
		for (HubProtocol protocol : protocols) {
			serializations.put(protocol.name(), message.bytes(protocol));
		}
		return serializations;
	}

	/** The invocation another node serialized, to be written as it is to this node's connections. */
	static SerializedHubMessage message(Map<String, byte[]> serializations) {
		return SerializedHubMessage.ofSerialized(INVOCATION_KIND, serializations);
	}

	/** Reads a payload; {@code null}, with a warning, for one that cannot be read. */
	static @Nullable Payload readOrWarn(byte[] payload) {
		try {
			return read(payload);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring an unreadable backplane payload: " + ex.getMessage());
			return null;
		}
	}

	static byte[] write(Payload payload) {
		Writer out = new Writer();
		out.writeByte(VERSION);
		if (payload instanceof Invocation invocation) {
			out.writeByte(INVOCATION);
			out.writeString(invocation.origin());
			out.writeStrings(invocation.excluded());
			out.writeStrings(invocation.groups());
			out.writeSerializations(invocation.serializations());
		}
		else if (payload instanceof GroupCommand command) {
			out.writeByte(GROUP_COMMAND);
			out.writeString(command.origin());
			out.writeInt(command.id());
			out.writeByte(command.add() ? 1 : 0);
			out.writeString(command.connectionId());
			out.writeString(command.group());
		}
		else if (payload instanceof ClientInvocation invocation) {
			out.writeByte(CLIENT_INVOCATION);
			out.writeString(invocation.origin());
			out.writeString(invocation.invocationId());
			out.writeSerializations(invocation.serializations());
		}
		else if (payload instanceof Ack ack) {
			out.writeByte(ACK);
			out.writeString(ack.origin());
			out.writeInt(ack.id());
		}
		else if (payload instanceof Result result) {
			out.writeByte(RESULT);
			out.writeString(result.origin());
			out.writeString(result.invocationId());
			out.writeString(result.protocol());
			out.writeBinary(result.completion());
		}
		return out.toByteArray();
	}

	/**
	 * Reads a payload.
	 * @throws IllegalArgumentException when the bytes are not a payload of this version
	 */
	static Payload read(byte[] data) {
		ByteBuffer in = ByteBuffer.wrap(data);
		try {
			int version = in.get();
			if (version != VERSION) {
				throw new IllegalArgumentException("Unsupported backplane payload version " + version);
			}
			int kind = in.get();
			String origin = readString(in);
			switch (kind) {
				case INVOCATION:
					return new Invocation(origin, readStrings(in), readStrings(in), readSerializations(in));
				case GROUP_COMMAND:
					return new GroupCommand(origin, in.getInt(), in.get() == 1, readString(in), readString(in));
				case CLIENT_INVOCATION:
					return new ClientInvocation(origin, readString(in), readSerializations(in));
				case ACK:
					return new Ack(origin, in.getInt());
				case RESULT:
					return new Result(origin, readString(in), readString(in), readBytes(in));
				default:
					throw new IllegalArgumentException("Unknown backplane payload kind " + kind);
			}
		}
		catch (BufferUnderflowException | IndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("Truncated backplane payload", ex);
		}
	}

	private static byte[] readBytes(ByteBuffer in) {
		int length = in.getInt();
		if (length < 0 || length > in.remaining()) {
			throw new IllegalArgumentException("Invalid length " + length + " in backplane payload");
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return bytes;
	}

	private static String readString(ByteBuffer in) {
		return new String(readBytes(in), StandardCharsets.UTF_8);
	}

	private static List<String> readStrings(ByteBuffer in) {
		int count = readCount(in);
		List<String> strings = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			strings.add(readString(in));
		}
		return strings;
	}

	private static Map<String, byte[]> readSerializations(ByteBuffer in) {
		int count = readCount(in);
		Map<String, byte[]> serializations = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			serializations.put(readString(in), readBytes(in));
		}
		return serializations;
	}

	private static int readCount(ByteBuffer in) {
		int count = in.getInt();
		// every item takes at least its four length bytes
		if (count < 0 || count > in.remaining() / 4) {
			throw new IllegalArgumentException("Invalid count " + count + " in backplane payload");
		}
		return count;
	}

	/** Big-endian integers, length-prefixed strings and byte arrays. */
	private static final class Writer extends ByteArrayOutputStream {

		Writer() {
			super(256);
		}

		void writeByte(int value) {
			write(value);
		}

		void writeInt(int value) {
			write(value >>> 24);
			write(value >>> 16);
			write(value >>> 8);
			write(value);
		}

		void writeBinary(byte[] bytes) {
			writeInt(bytes.length);
			write(bytes, 0, bytes.length);
		}

		void writeString(String value) {
			writeBinary(value.getBytes(StandardCharsets.UTF_8));
		}

		void writeStrings(List<String> values) {
			writeInt(values.size());
			for (String value : values) {
				writeString(value);
			}
		}

		void writeSerializations(Map<String, byte[]> serializations) {
			writeInt(serializations.size());
			for (Map.Entry<String, byte[]> entry : serializations.entrySet()) {
				writeString(entry.getKey());
				writeBinary(entry.getValue());
			}
		}

	}

}
