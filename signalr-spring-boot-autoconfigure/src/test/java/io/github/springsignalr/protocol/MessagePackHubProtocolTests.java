package io.github.springsignalr.protocol;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading of client data by the MessagePack hub protocol: inputs the fuzz target found mishandled, each
 * kept as it was found in {@code MessagePackHubProtocolFuzzTestsInputs/} and here in its smallest form.
 */
class MessagePackHubProtocolTests {

	private final MessagePackHubProtocol protocol = new MessagePackHubProtocol(JsonMapper.builder().build());

	private List<HubMessage> parse(byte[] framed) {
		List<HubMessage> messages = new ArrayList<>();
		this.protocol.parseMessages(ByteBuffer.wrap(framed), HubProtocolFuzzing.MAXIMUM_MESSAGE_SIZE, messages::add);
		return messages;
	}

	/** An invocation of {@code T} whose only argument is the given MessagePack value. */
	private static byte[] invocationWithArgument(byte[] argument) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(new byte[] { (byte) 0x95, 0x01, (byte) 0x80, (byte) 0xa1, '1', (byte) 0xa1, 'T', (byte) 0x91 });
		body.writeBytes(argument);
		ByteArrayOutputStream framed = new ByteArrayOutputStream();
		int length = body.size();
		while (length > 0x7f) {
			framed.write((length & 0x7f) | 0x80);
			length >>>= 7;
		}
		framed.write(length);
		framed.writeBytes(body.toByteArray());
		return framed.toByteArray();
	}

	@Test
	void rejectsATimestampPastTheRangeOfAnInstantAsInvalidData() {
		// timestamp 96: 4 bytes of nanoseconds, 8 of seconds (here the largest long)
		byte[] timestamp = { (byte) 0xc7, 12, -1, 0, 0, 0, 0, 0x7f, -1, -1, -1, -1, -1, -1, -1 };
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(invocationWithArgument(timestamp)))
			.withMessage("Invalid MessagePack timestamp: 9223372036854775807 seconds is out of range.");
	}

	@Test
	void rejectsATimestampWhoseNanosecondsCarryItsSecondsPastTheLargestLongAsInvalidData() {
		// 4 294 967 295 nanoseconds carry 4 seconds into the largest long
		byte[] timestamp = { (byte) 0xc7, 12, -1, -1, -1, -1, -1, 0x7f, -1, -1, -1, -1, -1, -1, -1 };
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(invocationWithArgument(timestamp)))
			.withMessage("Invalid MessagePack timestamp: 9223372036854775807 seconds is out of range.");
	}

	@Test
	void readsAnUnsignedLongPastTheLargestLongAsItsValue() {
		byte[] largest = { (byte) 0xcf, -1, -1, -1, -1, -1, -1, -1, -1 };
		HubMessage.Invocation invocation = (HubMessage.Invocation) parse(invocationWithArgument(largest)).get(0);
		assertThat(this.protocol.bind(invocation.arguments().get(0), java.math.BigInteger.class))
			.isEqualTo(new java.math.BigInteger("18446744073709551615"));
		assertThat(this.protocol.bind(invocation.arguments().get(0), Object.class).toString())
			.isEqualTo("18446744073709551615");
	}

	@Test
	void readsTheLatestTimestampAnInstantHolds() {
		byte[] latest = { (byte) 0xc7, 12, -1, 0, 0, 0, 0, 0, 0x70, 0x1c, (byte) 0xd2, (byte) 0xfa, (byte) 0x95, 0x78, -1 };
		HubMessage.Invocation invocation = (HubMessage.Invocation) parse(invocationWithArgument(latest)).get(0);
		assertThat(this.protocol.bind(invocation.arguments().get(0), Instant.class))
			.isEqualTo(Instant.MAX.minusNanos(999_999_999));
	}

	@Test
	void rejectsAnArrayLongerThanTheBytesLeftBeforeAllocatingIt() {
		// arrays promising 65 535 elements each, nested: every header alone reserved room for all of them
		ByteArrayOutputStream nested = new ByteArrayOutputStream();
		for (int i = 0; i < 40; i++) {
			nested.writeBytes(new byte[] { (byte) 0xdc, -1, -1 });
		}
		byte[] message = invocationWithArgument(nested.toByteArray());
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(message));
		long before = threads.getCurrentThreadAllocatedBytes();
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(message))
			.withMessage("Unexpected end of MessagePack data.");
		assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(256 * 1024);
	}

	@Test
	void rejectsAMapUsedAsAMapKeyAsInvalidData() {
		// {{{...{"a": 1}...: 1}: 1}: 1}: a key's text holds its own key's text escaped, doubling each level
		ByteArrayOutputStream nested = new ByteArrayOutputStream();
		for (int i = 0; i < 20; i++) {
			nested.write(0x81);
		}
		nested.writeBytes(new byte[] { (byte) 0xa1, 'a' });
		for (int i = 0; i < 21; i++) {
			nested.write(0x01);
		}
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> parse(invocationWithArgument(nested.toByteArray())))
			.withMessage("Unsupported MessagePack map key: a map or an array.");
	}
}
