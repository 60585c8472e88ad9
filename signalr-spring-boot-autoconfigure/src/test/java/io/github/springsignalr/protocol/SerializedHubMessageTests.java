package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A message sent to many is serialized once per protocol, however many protocols are in use. */
class SerializedHubMessageTests {

	@Test
	void messageIsSerializedOncePerProtocolWithThreeProtocolsInUse() {
		SerializedHubMessage message = new SerializedHubMessage(
				new HubMessage.Invocation(null, "target", List.of("x")));
		Counting json = new Counting("json");
		Counting messagePack = new Counting("messagepack");
		Counting legacy = new Counting("legacy");
		for (int recipient = 0; recipient < 100; recipient++) {
			for (Counting protocol : new Counting[] { json, messagePack, legacy }) {
				assertThat(new String(message.bytes(protocol), StandardCharsets.UTF_8)).isEqualTo(protocol.name());
			}
		}
		assertThat(json.writes.get()).isEqualTo(1);
		assertThat(messagePack.writes.get()).isEqualTo(1);
		assertThat(legacy.writes.get()).isEqualTo(1);
	}

	/** A protocol that writes its name and counts its writes. */
	private static final class Counting implements HubProtocol {

		final AtomicInteger writes = new AtomicInteger();

		private final String name;

		Counting(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public int version() {
			return 1;
		}

		@Override
		public TransferFormat transferFormat() {
			return TransferFormat.TEXT;
		}

		@Override
		public void parseMessages(ByteBuffer input, int maxMessageSize, Consumer<HubMessage> messages) {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable Object bind(@Nullable Object raw, Type type) {
			return raw;
		}

		@Override
		public byte[] writeMessage(HubMessage message) {
			this.writes.incrementAndGet();
			return this.name.getBytes(StandardCharsets.UTF_8);
		}
	}
}
