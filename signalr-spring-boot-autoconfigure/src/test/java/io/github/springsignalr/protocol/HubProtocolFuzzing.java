package io.github.springsignalr.protocol;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.autoconfigure.SignalRProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties every hub protocol fuzz target checks on any input: what a connection's receive loop
 * ({@code HubConnectionHandler}) relies on. It catches {@link InvalidDataException} and nothing else, so
 * any other exception or error (a stack overflow, running out of memory) escaping the parser is a
 * finding; allocation stays proportional to the input; a message read can be written back, and what is
 * written reads back to the same message.
 */
final class HubProtocolFuzzing {

	/** The server's default {@code signalr.hub.maximum-receive-message-size}. */
	static final int MAXIMUM_MESSAGE_SIZE = (int) new SignalRProperties().getHub().getMaximumReceiveMessageSize()
		.toBytes();

	/** Bytes a parse may allocate beyond its proportional share: parser buffers, the first records. */
	private static final long ALLOCATION_ALLOWANCE = 1024 * 1024;

	/**
	 * Bytes a parse may allocate per input byte: trees of small nodes are 256 times bigger. While fuzzing,
	 * Jazzer's comparison hooks allocate too (each string compared is copied for libFuzzer), a few hundred
	 * bytes per input byte of property names, so the bound is four times looser then: what the check is
	 * for is amplification by thousands (a parse copying a shared table per message, as the JSON protocol
	 * once did with Jackson's name table).
	 */
	private static final long ALLOCATION_PER_INPUT_BYTE = "1".equals(System.getenv("JAZZER_FUZZ")) ? 1024 : 256;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private HubProtocolFuzzing() {
	}

	/**
	 * Parses {@code data} as one receive of a connection with the real maximum message size, then
	 * writes every message read back and reads it again.
	 * @return the messages read before the end of the input or the first invalid one
	 */
	static List<HubMessage> check(HubProtocol protocol, byte[] data) {
		List<HubMessage> messages = new ArrayList<>();
		long allocated = parse(protocol, data, messages);
		long bound = ALLOCATION_ALLOWANCE + ALLOCATION_PER_INPUT_BYTE * data.length;
		if (allocated > bound) {
			// the first parses also load and initialize classes: only a parse that allocates again counts
			allocated = parse(protocol, data, new ArrayList<>());
		}
		assertThat(allocated).as("bytes allocated to parse %d bytes", data.length).isLessThanOrEqualTo(bound);
		for (HubMessage message : messages) {
			roundTrip(protocol, message);
		}
		return messages;
	}

	/** Parses as a connection's receive does; returns the bytes allocated meanwhile. */
	private static long parse(HubProtocol protocol, byte[] data, List<HubMessage> messages) {
		ByteBuffer input = ByteBuffer.wrap(data);
		long before = THREADS.getCurrentThreadAllocatedBytes();
		try {
			protocol.parseMessages(input, MAXIMUM_MESSAGE_SIZE, messages::add);
			// what is left is a partial message the connection keeps for the next receive: never over the limit
			assertThat(input.remaining()).isLessThanOrEqualTo(MAXIMUM_MESSAGE_SIZE + 5);
		}
		catch (InvalidDataException ex) {
			// the documented rejection: the connection closes with its message
			assertThat(ex.getMessage()).isNotBlank();
		}
		return THREADS.getCurrentThreadAllocatedBytes() - before;
	}

	/**
	 * A message read is written back and read again: the same message but for headers (never written)
	 * and values, whose comparison is their written form: writing the second reading gives the same
	 * bytes. (Values are compared written because a value may change once on its first reading, and
	 * then not again: a JSON number past the range of a double becomes an infinite double, written as
	 * the string "Infinity".)
	 */
	private static void roundTrip(HubProtocol protocol, HubMessage message) {
		byte[] written = protocol.writeMessage(message);
		List<HubMessage> reread = new ArrayList<>(1);
		ByteBuffer input = ByteBuffer.wrap(written);
		protocol.parseMessages(input, 0, reread::add);
		assertThat(input.hasRemaining()).isFalse();
		assertThat(reread).hasSize(1);
		HubMessage again = reread.get(0);
		assertThat(envelope(again)).isEqualTo(envelope(message));
		assertThat(protocol.writeMessage(again)).isEqualTo(written);
	}

	/** The message without its headers and with its values (arguments, item, result) as null. */
	private static HubMessage envelope(HubMessage message) {
		if (message instanceof HubMessage.Invocation m) {
			return new HubMessage.Invocation(m.invocationId(), m.target(), nulls(m.arguments()), m.streamIds(),
					Map.of());
		}
		if (message instanceof HubMessage.StreamInvocation m) {
			return new HubMessage.StreamInvocation(m.invocationId(), m.target(), nulls(m.arguments()), m.streamIds(),
					Map.of());
		}
		if (message instanceof HubMessage.StreamItem m) {
			return new HubMessage.StreamItem(m.invocationId(), null, Map.of());
		}
		if (message instanceof HubMessage.Completion m) {
			return new HubMessage.Completion(m.invocationId(), null, m.error(), m.hasResult(), Map.of());
		}
		if (message instanceof HubMessage.CancelInvocation m) {
			return new HubMessage.CancelInvocation(m.invocationId(), Map.of());
		}
		return message;
	}

	private static List<@Nullable Object> nulls(List<@Nullable Object> values) {
		return Arrays.asList(new Object[values.size()]);
	}
}
