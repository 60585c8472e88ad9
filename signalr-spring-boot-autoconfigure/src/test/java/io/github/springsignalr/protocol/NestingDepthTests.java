package io.github.springsignalr.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * Values nested deeper than the protocols allow are invalid data, not a stack overflow; values nested
 * as deep as allowed are read, bound to untyped parameters and written back.
 */
class NestingDepthTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** An invocation of Echo whose one argument is {@code depth} arrays inside each other. */
	static byte[] messagePackInvocation(int depth) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		// [1, {}, "1", "Echo", [argument], []]
		body.writeBytes(new byte[] { (byte) 0x96, 0x01, (byte) 0x80, (byte) 0xa1, '1', (byte) 0xa4, 'E', 'c', 'h', 'o',
				(byte) 0x91 });
		for (int i = 0; i < depth - 1; i++) {
			body.write(0x91);
		}
		body.write(0x90);
		body.write(0x90);
		ByteArrayOutputStream framed = new ByteArrayOutputStream();
		int length = body.size();
		do {
			int b = length & 0x7f;
			length >>>= 7;
			framed.write((length > 0) ? (b | 0x80) : b);
		}
		while (length > 0);
		framed.writeBytes(body.toByteArray());
		return framed.toByteArray();
	}

	/** An invocation of Echo whose one argument is {@code depth} arrays inside each other. */
	static byte[] jsonInvocation(int depth) {
		String argument = "[".repeat(depth) + "]".repeat(depth);
		return ("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[" + argument + "]}\u001e")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static List<HubMessage> parse(HubProtocol protocol, byte[] data) {
		List<HubMessage> messages = new ArrayList<>();
		protocol.parseMessages(ByteBuffer.wrap(data), 1 << 20, messages::add);
		return messages;
	}

	@Test
	void messagePackValueNestedDeeperThanTheLimitIsInvalidData() {
		MessagePackHubProtocol protocol = new MessagePackHubProtocol(MAPPER);
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> parse(protocol, messagePackInvocation(10_000)))
			.withMessage("The maximum nesting depth of 500 was exceeded.");
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> parse(protocol, messagePackInvocation(501)));
	}

	/** Runs {@code test} on a thread with the default stack size, as the server's threads have. */
	private static void onServerThread(Runnable test) throws Exception {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				test.run();
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		});
		thread.start();
		done.get(30, TimeUnit.SECONDS);
	}

	@Test
	void messagePackValueNestedToTheLimitIsReadBoundAndWrittenBack() throws Exception {
		onServerThread(() -> {
			MessagePackHubProtocol protocol = new MessagePackHubProtocol(MAPPER);
			Object argument = ((HubMessage.Invocation) parse(protocol, messagePackInvocation(500)).get(0)).arguments()
				.get(0);
			Object bound = protocol.bind(argument, Object.class);
			assertThat(bound).isInstanceOf(List.class);
			assertThat(protocol.bind(argument, List.class)).isEqualTo(bound);
			byte[] echoed = protocol.writeMessage(HubMessage.Completion.withResult("1", bound));
			assertThat(parse(protocol, echoed)).hasSize(1);
		});
	}

	/** A bean that holds one of its own kind, bound level by level by Jackson's bean deserializer. */
	public record Link(@org.jspecify.annotations.Nullable Link next) {
	}

	@Test
	void valuesNestedToTheLimitBindToRecursiveBeans() throws Exception {
		onServerThread(() -> {
			MessagePackHubProtocol messagePack = new MessagePackHubProtocol(MAPPER);
			Object links = messagePack.bind(MAPPER.readTree("{\"next\":".repeat(499) + "null" + "}".repeat(499)),
					Link.class);
			assertThat(links).isInstanceOf(Link.class);
			JsonHubProtocol json = new JsonHubProtocol(MAPPER);
			String nested = "{\"next\":".repeat(497) + "null" + "}".repeat(497);
			Object argument = ((HubMessage.Invocation) parse(json,
					("{\"type\":1,\"target\":\"Echo\",\"arguments\":[" + nested + "]}\u001e")
						.getBytes(StandardCharsets.UTF_8)).get(0)).arguments().get(0);
			assertThat(json.bind(argument, Link.class)).isInstanceOf(Link.class);
			assertThat(json.writeMessage(HubMessage.Completion.withResult("1", json.bind(argument, Link.class))))
				.isNotEmpty();
		});
	}

	@Test
	void messagePackMapKeysCountTowardsTheDepth() {
		MessagePackHubProtocol protocol = new MessagePackHubProtocol(MAPPER);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(new byte[] { (byte) 0x96, 0x01, (byte) 0x80, (byte) 0xa1, '1', (byte) 0xa4, 'E', 'c', 'h', 'o',
				(byte) 0x91 });
		for (int i = 0; i < 10_000; i++) {
			body.write(0x81); // a map of one entry whose key is the next map
		}
		byte[] bytes = body.toByteArray();
		ByteArrayOutputStream framed = new ByteArrayOutputStream();
		framed.write((bytes.length & 0x7f) | 0x80);
		framed.write(bytes.length >>> 7);
		framed.writeBytes(bytes);
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(protocol, framed.toByteArray()))
			.withMessage("The maximum nesting depth of 500 was exceeded.");
	}

	@Test
	void handshakeNestedDeeperThanTheParserAllowsIsInvalidData() {
		String handshake = "{\"protocol\":\"json\",\"version\":1,\"extra\":" + "[".repeat(10_000)
				+ "]".repeat(10_000) + "}\u001e";
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> HandshakeProtocol
			.parseRequest(ByteBuffer.wrap(handshake.getBytes(StandardCharsets.UTF_8))));
	}

	@Test
	void jsonValueNestedDeeperThanTheParserAllowsIsInvalidData() {
		JsonHubProtocol protocol = new JsonHubProtocol(MAPPER);
		assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(protocol, jsonInvocation(10_000)))
			.withMessage("Error reading JSON.");
	}

	@Test
	void jsonValueNestedToTheParsersLimitIsReadBoundAndWrittenBack() throws Exception {
		onServerThread(() -> {
			JsonHubProtocol protocol = new JsonHubProtocol(MAPPER);
			// the message's object and its arguments array are two levels of the parser's 500
			Object argument = ((HubMessage.Invocation) parse(protocol, jsonInvocation(498)).get(0)).arguments().get(0);
			Object bound = protocol.bind(argument, Object.class);
			assertThat(protocol.bind(argument, List.class)).isEqualTo(bound);
			assertThat(protocol.bind(argument, Object[].class)).isNotNull();
			byte[] echoed = protocol.writeMessage(HubMessage.Completion.withResult("1", bound));
			assertThat(parse(protocol, echoed)).hasSize(1);
			assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(protocol, jsonInvocation(499)));
		});
	}
}
