package io.github.springsignalr.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Arguments read from MessagePack bind to the hub method's parameter types as the mapper binds them.
 */
class MessagePackBindingTests {

	private static List<Object> roundTrip(MessagePackHubProtocol protocol, Object... arguments) {
		byte[] bytes = protocol.writeMessage(new HubMessage.Invocation("1", "Echo", Arrays.asList(arguments),
				List.of(), Map.of()));
		List<HubMessage> messages = new ArrayList<>();
		protocol.parseMessages(ByteBuffer.wrap(bytes), 1 << 20, messages::add);
		return ((HubMessage.Invocation) messages.get(0)).arguments();
	}

	@Test
	void scalarsBindToTheirTypes() {
		MessagePackHubProtocol protocol = new MessagePackHubProtocol(JsonMapper.builder().build());
		List<Object> raw = roundTrip(protocol, "p\u00e9", 5L, 7, true, 1L << 40, 3);
		assertThat(protocol.bind(raw.get(0), String.class)).isEqualTo("p\u00e9");
		assertThat(protocol.bind(raw.get(1), long.class)).isEqualTo(5L);
		assertThat(protocol.bind(raw.get(2), Integer.class)).isEqualTo(7);
		assertThat(protocol.bind(raw.get(3), boolean.class)).isEqualTo(true);
		assertThat(protocol.bind(raw.get(4), Long.class)).isEqualTo(1L << 40);
		// across types the mapper decides: coercions and range checks
		assertThat(protocol.bind(raw.get(5), String.class)).isEqualTo("3");
		assertThat(protocol.bind(raw.get(5), double.class)).isEqualTo(3.0);
		assertThatException().isThrownBy(() -> protocol.bind(raw.get(4), int.class));
	}

	@Test
	void aMapperWithItsOwnStringDeserializerKeepsIt() {
		SimpleModule upper = new SimpleModule().addDeserializer(String.class, new ValueDeserializer<String>() {
			@Override
			public String deserialize(JsonParser parser, DeserializationContext context) {
				return parser.getString().toUpperCase(java.util.Locale.ROOT);
			}
		});
		MessagePackHubProtocol protocol = new MessagePackHubProtocol(JsonMapper.builder().addModule(upper).build());
		assertThat(protocol.bind(roundTrip(protocol, "abc").get(0), String.class)).isEqualTo("ABC");
	}
}
