package io.github.springsignalr.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct writer of scalar messages writes exactly the bytes the mapper writes, and leaves to the
 * mapper what it cannot match.
 */
class JsonScalarWriterTests {

	private final JsonHubProtocol protocol = new JsonHubProtocol(JsonMapper.builder().build());

	private final JsonScalarWriter writer = new JsonScalarWriter(JsonMapper.builder().build());

	private static List<String> strings() {
		List<String> strings = new ArrayList<>();
		StringBuilder ascii = new StringBuilder();
		for (char c = 0; c < 128; c++) {
			ascii.append(c);
			strings.add(String.valueOf(c));
		}
		strings.add(ascii.toString());
		strings.add("");
		strings.add("h\u00e9llo w\u00f6rld \u4e2d\u6587 \u20ac \u2028\u2029 \ud83d\ude00\ud83c\udf89 \u07ff\u0800\uffff");
		strings.add("</script><!-- \"quoted\" \\back\\slash/ \t\r\n\b\f \u007f \u0000");
		return strings;
	}

	@Test
	void invocationsOfScalarsAreTheMappersBytes() {
		for (String text : strings()) {
			assertSameAsMapper(new HubMessage.Invocation(null, "m", Arrays.asList(System.nanoTime(), text),
					List.of(), java.util.Map.of()));
			assertSameAsMapper(new HubMessage.Invocation("17", text, Arrays.asList(text, 42, (short) -3, (byte) 7,
					true, false, null, Long.MIN_VALUE, Integer.MAX_VALUE), List.of(), java.util.Map.of()));
		}
		assertSameAsMapper(new HubMessage.Invocation(null, "none", List.of(), List.of(), java.util.Map.of()));
	}

	@Test
	void completionsAndStreamItemsOfScalarsAreTheMappersBytes() {
		for (String text : strings()) {
			assertSameAsMapper(HubMessage.Completion.withResult(text, text));
			assertSameAsMapper(HubMessage.Completion.withError("1", text));
			assertSameAsMapper(new HubMessage.StreamItem(text, text, java.util.Map.of()));
		}
		assertSameAsMapper(HubMessage.Completion.withResult("1", null));
		assertSameAsMapper(HubMessage.Completion.withResult("1", 12345678901L));
		assertSameAsMapper(HubMessage.Completion.empty("1"));
		assertSameAsMapper(new HubMessage.StreamItem("1", false, java.util.Map.of()));
	}

	@Test
	void otherValuesAndLoneSurrogatesAreLeftToTheMapper() {
		assertThat(this.writer.write(new HubMessage.Invocation(null, "m", List.of(1.5), List.of(),
				java.util.Map.of()))).isNull();
		assertThat(this.writer.write(new HubMessage.Invocation(null, "m", List.of(List.of(1)), List.of(),
				java.util.Map.of()))).isNull();
		assertThat(this.writer.write(new HubMessage.Invocation(null, "m", List.of("a\ud83d"), List.of(),
				java.util.Map.of()))).isNull();
		assertThat(this.writer.write(new HubMessage.Invocation("1", "m", List.of(), List.of("2"),
				java.util.Map.of()))).isNull();
		assertThat(this.writer.write(HubMessage.Completion.withResult("1", new int[] { 1 }))).isNull();
		// and the protocol still writes them
		assertThat(new String(this.protocol.writeMessage(new HubMessage.Invocation(null, "m", List.of(1.5),
				List.of(), java.util.Map.of())), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":1,\"target\":\"m\",\"arguments\":[1.5]}\u001e");
	}

	@Test
	void aMapperThatWritesScalarsItsOwnWayKeepsDoingSo() {
		JsonMapper numbersAsStrings = JsonMapper.builder().enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS).build();
		JsonMapper escapedNonAscii = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
		HubMessage message = new HubMessage.Invocation(null, "m", List.of(7L, "\u00e9"), List.of(), java.util.Map.of());
		assertThat(new JsonScalarWriter(numbersAsStrings).write(message)).isNull();
		assertThat(new JsonScalarWriter(escapedNonAscii).write(message)).isNull();
		assertThat(new String(new JsonHubProtocol(numbersAsStrings).writeMessage(message), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":1,\"target\":\"m\",\"arguments\":[\"7\",\"\u00e9\"]}\u001e");
		assertThat(new String(new JsonHubProtocol(escapedNonAscii).writeMessage(message), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":1,\"target\":\"m\",\"arguments\":[7,\"\\u00E9\"]}\u001e");
	}

	private void assertSameAsMapper(HubMessage message) {
		byte[] direct = this.writer.write(message);
		assertThat(direct).as("written directly: %s", message).isNotNull();
		assertThat(new String(direct, StandardCharsets.UTF_8))
			.isEqualTo(new String(this.protocol.writeWithMapper(message), StandardCharsets.UTF_8));
		assertThat(direct).isEqualTo(this.protocol.writeWithMapper(message));
	}
}
