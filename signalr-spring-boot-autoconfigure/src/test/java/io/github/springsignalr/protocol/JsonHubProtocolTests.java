package io.github.springsignalr.protocol;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JSON hub protocol against the examples and rules of the SignalR {@code HubProtocol.md} spec.
 */
class JsonHubProtocolTests {

	private static final String RS = "\u001e";

	private final JsonHubProtocol protocol = new JsonHubProtocol(JsonMapper.builder().build());

	private List<HubMessage> parse(String text) {
		return parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 32 * 1024);
	}

	private List<HubMessage> parse(ByteBuffer buffer, int maxMessageSize) {
		List<HubMessage> messages = new ArrayList<>();
		this.protocol.parseMessages(buffer, maxMessageSize, messages::add);
		return messages;
	}

	private HubMessage parseOne(String json) {
		List<HubMessage> messages = parse(json + RS);
		assertThat(messages).hasSize(1);
		return messages.get(0);
	}

	private String write(HubMessage message) {
		return new String(this.protocol.writeMessage(message), StandardCharsets.UTF_8);
	}

	private Object bind(Object raw, Type type) {
		return this.protocol.bind(raw, type);
	}

	@Test
	void describesItselfAsJsonVersion2OverText() {
		assertThat(this.protocol.name()).isEqualTo("json");
		assertThat(this.protocol.version()).isEqualTo(2);
		assertThat(this.protocol.transferFormat()).isEqualTo(TransferFormat.TEXT);
	}

	@Nested
	class SpecExamples {

		@Test
		void parsesInvocation() {
			HubMessage message = parseOne("""
					{
					    "type": 1,
					    "invocationId": "123",
					    "target": "Send",
					    "arguments": [
					        42,
					        "Test Message"
					    ]
					}""");
			assertThat(message).isInstanceOf(HubMessage.Invocation.class);
			HubMessage.Invocation invocation = (HubMessage.Invocation) message;
			assertThat(invocation.invocationId()).isEqualTo("123");
			assertThat(invocation.target()).isEqualTo("Send");
			assertThat(invocation.arguments()).hasSize(2);
			assertThat(bind(invocation.arguments().get(0), int.class)).isEqualTo(42);
			assertThat(bind(invocation.arguments().get(1), String.class)).isEqualTo("Test Message");
			assertThat(invocation.streamIds()).isEmpty();
			assertThat(invocation.headers()).isEmpty();
		}

		@Test
		void parsesNonBlockingInvocationWithoutInvocationId() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne("""
					{"type": 1, "target": "Send", "arguments": [42, "Test Message"]}""");
			assertThat(invocation.invocationId()).isNull();
			assertThat(invocation.target()).isEqualTo("Send");
			assertThat(invocation.arguments()).hasSize(2);
		}

		@Test
		void parsesInvocationWithStreamFromCaller() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne("""
					{"type": 1, "invocationId": "123", "target": "Send", "arguments": [42], "streamIds": ["1"]}""");
			assertThat(invocation.streamIds()).containsExactly("1");
			assertThat(invocation.arguments()).hasSize(1);
		}

		@Test
		void parsesStreamInvocation() {
			HubMessage.StreamInvocation invocation = (HubMessage.StreamInvocation) parseOne("""
					{"type": 4, "invocationId": "123", "target": "Send", "arguments": [42, "Test Message"]}""");
			assertThat(invocation.invocationId()).isEqualTo("123");
			assertThat(invocation.target()).isEqualTo("Send");
			assertThat(bind(invocation.arguments().get(0), Integer.class)).isEqualTo(42);
			assertThat(bind(invocation.arguments().get(1), String.class)).isEqualTo("Test Message");
		}

		@Test
		void parsesStreamItem() {
			HubMessage.StreamItem item = (HubMessage.StreamItem) parseOne("""
					{"type": 2, "invocationId": "123", "item": 42}""");
			assertThat(item.invocationId()).isEqualTo("123");
			assertThat(bind(item.item(), int.class)).isEqualTo(42);
		}

		@Test
		void parsesCompletionWithoutResultOrError() {
			HubMessage.Completion completion = (HubMessage.Completion) parseOne("""
					{"type": 3, "invocationId": "123"}""");
			assertThat(completion.invocationId()).isEqualTo("123");
			assertThat(completion.hasResult()).isFalse();
			assertThat(completion.result()).isNull();
			assertThat(completion.error()).isNull();
		}

		@Test
		void parsesCompletionWithResult() {
			HubMessage.Completion completion = (HubMessage.Completion) parseOne("""
					{"type": 3, "invocationId": "123", "result": 42}""");
			assertThat(completion.hasResult()).isTrue();
			assertThat(bind(completion.result(), int.class)).isEqualTo(42);
			assertThat(completion.error()).isNull();
		}

		@Test
		void parsesCompletionWithError() {
			HubMessage.Completion completion = (HubMessage.Completion) parseOne("""
					{"type": 3, "invocationId": "123", "error": "It didn't work!"}""");
			assertThat(completion.hasResult()).isFalse();
			assertThat(completion.error()).isEqualTo("It didn't work!");
		}

		@Test
		void rejectsCompletionWithBothResultAndError() {
			assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse("""
					{"type": 3, "invocationId": "123", "result": 42, "error": "It didn't work!"}""" + RS))
				.withMessage("The 'error' and 'result' properties are mutually exclusive.");
		}

		@Test
		void parsesCancelInvocation() {
			HubMessage.CancelInvocation cancel = (HubMessage.CancelInvocation) parseOne("""
					{"type": 5, "invocationId": "123"}""");
			assertThat(cancel.invocationId()).isEqualTo("123");
		}

		@Test
		void parsesPing() {
			assertThat(parseOne("{\"type\": 6}")).isInstanceOf(HubMessage.Ping.class);
		}

		@Test
		void parsesCloseWithoutError() {
			HubMessage.Close close = (HubMessage.Close) parseOne("{\"type\": 7}");
			assertThat(close.error()).isNull();
			assertThat(close.allowReconnect()).isFalse();
		}

		@Test
		void parsesCloseWithError() {
			HubMessage.Close close = (HubMessage.Close) parseOne("""
					{"type": 7, "error": "Connection closed because of an error!"}""");
			assertThat(close.error()).isEqualTo("Connection closed because of an error!");
			assertThat(close.allowReconnect()).isFalse();
		}

		@Test
		void parsesCloseWithErrorThatAllowsReconnect() {
			HubMessage.Close close = (HubMessage.Close) parseOne("""
					{"type": 7, "error": "Connection closed because of an error!", "allowReconnect": true}""");
			assertThat(close.error()).isEqualTo("Connection closed because of an error!");
			assertThat(close.allowReconnect()).isTrue();
		}

		@Test
		void parsesAck() {
			assertThat(parseOne("{\"type\": 8, \"sequenceId\": 1394}")).isEqualTo(new HubMessage.Ack(1394));
		}

		@Test
		void parsesSequence() {
			assertThat(parseOne("{\"type\": 9, \"sequenceId\": 1234}")).isEqualTo(new HubMessage.Sequence(1234));
		}

		@Test
		void parsesHeaders() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne("""
					{
					    "type": 1,
					    "headers": {
					        "Foo": "Bar"
					    },
					    "invocationId": "123",
					    "target": "Send",
					    "arguments": [
					        42,
					        "Test Message"
					    ]
					}""");
			assertThat(invocation.headers()).containsExactly(Map.entry("Foo", "Bar"));
			assertThat(invocation.target()).isEqualTo("Send");
		}

		@Test
		void acceptsNullHeaders() {
			HubMessage.Completion completion = (HubMessage.Completion) parseOne("""
					{"type": 3, "headers": null, "invocationId": "123"}""");
			assertThat(completion.headers()).isEmpty();
		}

	}

	@Nested
	class Framing {

		@Test
		void parsesSeveralMessagesInOneBuffer() {
			List<HubMessage> messages = parse("{\"type\":6}" + RS + "{\"type\":5,\"invocationId\":\"1\"}" + RS
					+ "{\"type\":1,\"target\":\"Send\",\"arguments\":[]}" + RS);
			assertThat(messages).hasSize(3);
			assertThat(messages.get(0)).isInstanceOf(HubMessage.Ping.class);
			assertThat(messages.get(1)).isInstanceOf(HubMessage.CancelInvocation.class);
			assertThat(messages.get(2)).isInstanceOf(HubMessage.Invocation.class);
		}

		@Test
		void leavesPartialMessageInBufferUntilCompletedByNextChunk() {
			String complete = "{\"type\":6}" + RS;
			String partial = "{\"type\":1,\"target\":\"Se";
			ByteBuffer first = ByteBuffer.wrap((complete + partial).getBytes(StandardCharsets.UTF_8));

			List<HubMessage> messages = parse(first, 32 * 1024);

			assertThat(messages).containsExactly(HubMessage.Ping.INSTANCE);
			assertThat(first.position()).isEqualTo(complete.length());
			byte[] rest = new byte[first.remaining()];
			first.get(rest);
			assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo(partial);

			byte[] next = ("nd\",\"arguments\":[1]}" + RS).getBytes(StandardCharsets.UTF_8);
			ByteBuffer joined = ByteBuffer.allocate(rest.length + next.length).put(rest).put(next).flip();
			List<HubMessage> completed = parse(joined, 32 * 1024);

			assertThat(completed).hasSize(1);
			assertThat(((HubMessage.Invocation) completed.get(0)).target()).isEqualTo("Send");
			assertThat(joined.hasRemaining()).isFalse();
		}

		@Test
		void readsNothingFromBufferWithoutSeparator() {
			ByteBuffer buffer = ByteBuffer.wrap("{\"type\":6}".getBytes(StandardCharsets.UTF_8));
			assertThat(parse(buffer, 32 * 1024)).isEmpty();
			assertThat(buffer.position()).isZero();
		}

		@Test
		void parsesFromBufferWithPositionAndArrayOffset() {
			byte[] backing = ("xx{\"type\":6}" + RS + "{\"type\":7}" + RS).getBytes(StandardCharsets.UTF_8);
			ByteBuffer slice = ByteBuffer.wrap(backing, 2, backing.length - 2).slice();
			List<HubMessage> messages = parse(slice, 32 * 1024);
			assertThat(messages).containsExactly(HubMessage.Ping.INSTANCE, HubMessage.Close.EMPTY);
		}

		@Test
		void rejectsMessageLargerThanMaximumSize() {
			String message = "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "x".repeat(100) + "\"]}" + RS;
			assertThatExceptionOfType(InvalidDataException.class)
				.isThrownBy(() -> parse(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), 64))
				.withMessage("The maximum message size of 64B was exceeded. The message size can be configured with signalr.hub.maximum-receive-message-size.");
		}

		@Test
		void rejectsPartialMessageAlreadyLargerThanMaximumSize() {
			String partial = "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "x".repeat(100);
			assertThatExceptionOfType(InvalidDataException.class)
				.isThrownBy(() -> parse(ByteBuffer.wrap(partial.getBytes(StandardCharsets.UTF_8)), 64))
				.withMessage("The maximum message size of 64B was exceeded. The message size can be configured with signalr.hub.maximum-receive-message-size.");
		}

		@Test
		void acceptsMessageOfExactlyMaximumSize() {
			String json = "{\"type\":6}";
			assertThat(parse(ByteBuffer.wrap((json + RS).getBytes(StandardCharsets.UTF_8)), json.length()))
				.containsExactly(HubMessage.Ping.INSTANCE);
		}

	}

	@Nested
	class Reading {

		/**
		 * Found by the fuzzer: every property name never seen before used to cost a copy of Jackson's
		 * shared name table, so once a few thousand names had come by, 2 KB of pings with new names
		 * allocated 33 MB. Allocation now stays proportional to the input, however many names came before.
		 */
		@Test
		void messagesWithNewPropertyNamesAllocateInProportionToTheirSize() {
			var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
			int name = 0;
			long worst = 0;
			for (int round = 0; round < 60; round++) {
				StringBuilder pings = new StringBuilder();
				for (int i = 0; i < 100; i++) {
					pings.append("{\"p").append(name++).append("\":0,\"type\":6}").append(RS);
				}
				byte[] data = pings.toString().getBytes(StandardCharsets.UTF_8);
				long before = threads.getCurrentThreadAllocatedBytes();
				List<HubMessage> messages = parse(ByteBuffer.wrap(data), 32 * 1024);
				long allocated = threads.getCurrentThreadAllocatedBytes() - before;
				assertThat(messages).hasSize(100).containsOnly(HubMessage.Ping.INSTANCE);
				if (round >= 10) { // once the first parses have loaded their classes
					worst = Math.max(worst, allocated / data.length);
				}
			}
			assertThat(worst).as("bytes allocated per input byte").isLessThan(256);
		}

		@Test
		void acceptsPropertiesInAnyOrderWithTypeLast() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne("""
					{"arguments": [1, 2], "target": "Add", "invocationId": "7", "type": 1}""");
			assertThat(invocation.invocationId()).isEqualTo("7");
			assertThat(invocation.target()).isEqualTo("Add");
			assertThat(invocation.arguments()).hasSize(2);
		}

		@Test
		void acceptsCompletionWithResultBeforeType() {
			HubMessage.Completion completion = (HubMessage.Completion) parseOne("""
					{"result": {"a": [1, 2]}, "invocationId": "7", "type": 3}""");
			assertThat(completion.hasResult()).isTrue();
			assertThat(bind(completion.result(), Map.class)).isEqualTo(Map.of("a", List.of(1, 2)));
		}

		@Test
		void ignoresUnknownProperties() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne("""
					{"type": 1, "foo": {"nested": [1, {"deep": true}]}, "target": "Send", "bar": null,
					 "baz": [1, 2], "arguments": [], "qux": "x"}""");
			assertThat(invocation.target()).isEqualTo("Send");
			assertThat(invocation.arguments()).isEmpty();
		}

		@Test
		void ignoresUnknownMessageTypeAndParsesTheNextMessage() {
			List<HubMessage> messages = parse("{\"type\":99,\"whatever\":[1]}" + RS + "{\"type\":6}" + RS);
			assertThat(messages).containsExactly(HubMessage.Ping.INSTANCE);
		}

		@Test
		void distinguishesNullResultFromNoResult() {
			HubMessage.Completion nullResult = (HubMessage.Completion) parseOne(
					"{\"type\":3,\"invocationId\":\"1\",\"result\":null}");
			HubMessage.Completion noResult = (HubMessage.Completion) parseOne("{\"type\":3,\"invocationId\":\"1\"}");
			assertThat(nullResult.hasResult()).isTrue();
			assertThat(bind(nullResult.result(), String.class)).isNull();
			assertThat(noResult.hasResult()).isFalse();
		}

		@Test
		void readsNullArgumentAsNull() {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne(
					"{\"type\":1,\"target\":\"Send\",\"arguments\":[null]}");
			assertThat(bind(invocation.arguments().get(0), String.class)).isNull();
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
				{"target":"Send","arguments":[]}                      | Missing required property 'type'.
				{"type":1,"arguments":[]}                             | Missing required property 'target'.
				{"type":1,"target":"Send"}                            | Missing required property 'arguments'.
				{"type":4,"target":"Send","arguments":[]}             | Missing required property 'invocationId'.
				{"type":4,"invocationId":"1","arguments":[]}          | Missing required property 'target'.
				{"type":2,"item":1}                                   | Missing required property 'invocationId'.
				{"type":2,"invocationId":"1"}                         | Missing required property 'item'.
				{"type":3,"result":1}                                 | Missing required property 'invocationId'.
				{"type":5}                                            | Missing required property 'invocationId'.
				{"type":8}                                            | Missing required property 'sequenceId'.
				{"type":"1","target":"Send","arguments":[]}           | Expected 'type' to be of type Number.
				{"type":1,"invocationId":1,"target":"S","arguments":[]} | Expected 'invocationId' to be of type String.
				{"type":1,"target":42,"arguments":[]}                 | Expected 'target' to be of type String.
				{"type":1,"target":"Send","arguments":{}}             | Expected 'arguments' to be of type Array.
				{"type":7,"allowReconnect":"yes"}                     | Expected 'allowReconnect' to be true or false.
				[1,2]                                                 | Unexpected JSON Token Type 'StartArray'. Expected a JSON Object.
				""")
		void rejectsInvalidMessagesWithTheReferenceTexts(String json, String error) {
			assertThatExceptionOfType(InvalidDataException.class).isThrownBy(() -> parse(json + RS))
				.withMessage(error);
		}

		@Test
		void rejectsMalformedJson() {
			assertThatExceptionOfType(InvalidDataException.class)
				.isThrownBy(() -> parse("{\"type\":1,\"target\":" + RS))
				.withMessage("Error reading JSON.");
		}

	}

	@Nested
	class Writing {

		@Test
		void writesInvocationWithSeparator() {
			assertThat(write(new HubMessage.Invocation("123", "Send", List.of(42, "Test Message"))))
				.isEqualTo("{\"type\":1,\"invocationId\":\"123\",\"target\":\"Send\",\"arguments\":[42,\"Test Message\"]}"
						+ RS);
		}

		@Test
		void leavesOutNullInvocationId() {
			assertThat(write(new HubMessage.Invocation(null, "Send", Arrays.asList("a", null))))
				.isEqualTo("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"a\",null]}" + RS);
		}

		@Test
		void writesStreamIdsOnlyWhenPresent() {
			assertThat(write(new HubMessage.Invocation("1", "Upload", List.of(), List.of("s1"), Map.of())))
				.isEqualTo("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Upload\",\"arguments\":[],\"streamIds\":[\"s1\"]}"
						+ RS);
		}

		@Test
		void neverWritesHeaders() {
			String json = write(new HubMessage.Invocation("1", "Send", List.of(), List.of(), Map.of("Foo", "Bar")));
			assertThat(json).doesNotContain("headers").doesNotContain("Foo");
			assertThat(write(new HubMessage.Completion("1", 5, null, true, Map.of("Foo", "Bar"))))
				.isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":5}" + RS);
		}

		@Test
		void writesStreamItem() {
			assertThat(write(new HubMessage.StreamItem("123", 42, Map.of())))
				.isEqualTo("{\"type\":2,\"invocationId\":\"123\",\"item\":42}" + RS);
		}

		@Test
		void writesInvocationIdAsString() {
			assertThat(write(HubMessage.Completion.withResult("42", 42)))
				.isEqualTo("{\"type\":3,\"invocationId\":\"42\",\"result\":42}" + RS);
		}

		@Test
		void writesNullResultButLeavesOutMissingResult() {
			assertThat(write(HubMessage.Completion.withResult("1", null)))
				.isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":null}" + RS);
			assertThat(write(HubMessage.Completion.empty("1"))).isEqualTo("{\"type\":3,\"invocationId\":\"1\"}" + RS);
		}

		@Test
		void writesErrorWithoutResult() {
			assertThat(write(HubMessage.Completion.withError("1", "It didn't work!")))
				.isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"error\":\"It didn't work!\"}" + RS);
		}

		@Test
		void writesStreamInvocationAndCancelInvocation() {
			assertThat(write(new HubMessage.StreamInvocation("9", "Counter", List.of(5), List.of(), Map.of())))
				.isEqualTo("{\"type\":4,\"invocationId\":\"9\",\"target\":\"Counter\",\"arguments\":[5]}" + RS);
			assertThat(write(new HubMessage.CancelInvocation("9", Map.of())))
				.isEqualTo("{\"type\":5,\"invocationId\":\"9\"}" + RS);
		}

		@Test
		void writesPing() {
			assertThat(write(HubMessage.Ping.INSTANCE)).isEqualTo("{\"type\":6}" + RS);
		}

		@Test
		void writesCloseLeavingOutNullErrorAndFalseAllowReconnect() {
			assertThat(write(HubMessage.Close.EMPTY)).isEqualTo("{\"type\":7}" + RS);
			assertThat(write(new HubMessage.Close("Connection closed with an error.", true)))
				.isEqualTo("{\"type\":7,\"error\":\"Connection closed with an error.\",\"allowReconnect\":true}" + RS);
		}

		@Test
		void writesAckAndSequence() {
			assertThat(write(new HubMessage.Ack(1394))).isEqualTo("{\"type\":8,\"sequenceId\":1394}" + RS);
			assertThat(write(new HubMessage.Sequence(1234))).isEqualTo("{\"type\":9,\"sequenceId\":1234}" + RS);
		}

		@Test
		void readsBackWhatItWrites() {
			HubMessage.Invocation written = new HubMessage.Invocation("5", "Send", List.of("hello", 3));
			HubMessage.Invocation read = (HubMessage.Invocation) parse(write(written)).get(0);
			assertThat(read.invocationId()).isEqualTo("5");
			assertThat(read.target()).isEqualTo("Send");
			assertThat(bind(read.arguments().get(0), String.class)).isEqualTo("hello");
			assertThat(bind(read.arguments().get(1), int.class)).isEqualTo(3);
		}

	}

	@Nested
	class Binding {

		@Test
		void bindsRecord() {
			Object raw = argument("{\"name\":\"Ada\",\"age\":36}");
			assertThat(bind(raw, Person.class)).isEqualTo(new Person("Ada", 36));
		}

		@Test
		void bindsListOfRecords() {
			Type type = new TypeReference<List<Person>>() {
			}.getType();
			Object raw = argument("[{\"name\":\"Ada\",\"age\":36},{\"name\":\"Alan\",\"age\":41}]");
			assertThat(bind(raw, type)).isEqualTo(List.of(new Person("Ada", 36), new Person("Alan", 41)));
		}

		@Test
		void bindsEnumByName() {
			assertThat(bind(argument("\"GREEN\""), Color.class)).isEqualTo(Color.GREEN);
		}

		@Test
		void bindsInstantFromIsoText() {
			assertThat(bind(argument("\"2002-04-01T10:20:15Z\""), Instant.class))
				.isEqualTo(Instant.parse("2002-04-01T10:20:15Z"));
		}

		@Test
		void writesInstantAsIsoTextAndReadsItBackExactly() {
			Instant instant = Instant.parse("2002-04-01T10:20:15Z");
			String json = write(HubMessage.Completion.withResult("1", instant));
			assertThat(json).isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":\"2002-04-01T10:20:15Z\"}" + RS);
			HubMessage.Completion read = (HubMessage.Completion) parse(json).get(0);
			assertThat(bind(read.result(), Instant.class)).isEqualTo(instant);
		}

		@Test
		void bindsUuid() {
			UUID id = UUID.fromString("6d0f8a3c-52bb-4f4e-9b56-2f2a7b0c1d2e");
			assertThat(bind(argument("\"6d0f8a3c-52bb-4f4e-9b56-2f2a7b0c1d2e\""), UUID.class)).isEqualTo(id);
			assertThat(write(HubMessage.Completion.withResult("1", id)))
				.contains("\"result\":\"6d0f8a3c-52bb-4f4e-9b56-2f2a7b0c1d2e\"");
		}

		@Test
		void bindsByteArrayFromBase64() {
			assertThat((byte[]) bind(argument("\"AQID/w==\""), byte[].class)).containsExactly(1, 2, 3, -1);
			assertThat(write(HubMessage.Completion.withResult("1", new byte[] { 1, 2, 3, -1 })))
				.isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":\"AQID/w==\"}" + RS);
		}

		@Test
		void roundTripsApplicationTypes() {
			Person person = new Person("Grace", 85);
			List<Person> people = List.of(person, new Person("Edsger", 72));
			Instant instant = Instant.parse("2002-04-01T10:20:15Z");
			UUID uuid = UUID.fromString("00000000-0000-0000-0000-000000000001");
			byte[] bytes = { 0, 127, -128 };
			String json = write(new HubMessage.Invocation("1", "Everything",
					List.of(person, people, Color.BLUE, instant, uuid, bytes)));

			List<Object> arguments = ((HubMessage.Invocation) parse(json).get(0)).arguments();

			assertThat(bind(arguments.get(0), Person.class)).isEqualTo(person);
			assertThat(bind(arguments.get(1), new TypeReference<List<Person>>() {
			}.getType())).isEqualTo(people);
			assertThat(bind(arguments.get(2), Color.class)).isEqualTo(Color.BLUE);
			assertThat(bind(arguments.get(3), Instant.class)).isEqualTo(instant);
			assertThat(bind(arguments.get(4), UUID.class)).isEqualTo(uuid);
			assertThat((byte[]) bind(arguments.get(5), byte[].class)).containsExactly(bytes);
		}

		@Test
		void failsToBindValueOfWrongType() {
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> bind(argument("\"not a number\""), int.class));
		}

		@Test
		void bindsScalarArgumentsAsTheMapperWould() {
			assertThat(bind(argument("\"caf\\u00e9 \\\"x\\\"\""), String.class)).isEqualTo("caf\u00e9 \"x\"");
			assertThat(bind(argument("42"), int.class)).isEqualTo(42);
			assertThat(bind(argument("42"), Long.class)).isEqualTo(42L);
			assertThat(bind(argument("9007199254740993"), long.class)).isEqualTo(9007199254740993L);
			assertThat(bind(argument("true"), boolean.class)).isEqualTo(true);
			assertThat(bind(argument("false"), Boolean.class)).isEqualTo(false);
			assertThat(bind(argument("null"), String.class)).isNull();
			// values of another type go through the mapper, with its coercions and errors
			assertThat(bind(argument("\"12\""), int.class)).isEqualTo(12);
			assertThat(bind(argument("12"), String.class)).isEqualTo("12");
			assertThat(bind(argument("42"), Object.class)).isEqualTo(42);
			assertThat(bind(argument("42"), double.class)).isEqualTo(42.0);
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> bind(argument("9007199254740993"), int.class));
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> bind(argument("true"), int.class));
		}

		@Test
		void bindsScalarArgumentsWithTheMappersOwnDeserializers() {
			JsonHubProtocol upperCase = new JsonHubProtocol(JsonMapper.builder()
				.addModule(new tools.jackson.databind.module.SimpleModule().addDeserializer(String.class,
						new tools.jackson.databind.deser.std.StdDeserializer<String>(String.class) {
							@Override
							public String deserialize(tools.jackson.core.JsonParser parser,
									tools.jackson.databind.DeserializationContext context) {
								return parser.getString().toUpperCase(java.util.Locale.ROOT);
							}
						}))
				.build());
			List<HubMessage> messages = new ArrayList<>();
			upperCase.parseMessages(ByteBuffer.wrap(("{\"type\":1,\"target\":\"T\",\"arguments\":[\"hi\"]}" + RS)
				.getBytes(StandardCharsets.UTF_8)), 0, messages::add);
			Object raw = ((HubMessage.Invocation) messages.get(0)).arguments().get(0);
			assertThat(upperCase.bind(raw, String.class)).isEqualTo("HI");
		}

		private Object argument(String json) {
			HubMessage.Invocation invocation = (HubMessage.Invocation) parseOne(
					"{\"type\":1,\"target\":\"T\",\"arguments\":[" + json + "]}");
			return invocation.arguments().get(0);
		}

	}

	record Person(String name, int age) {
	}

	enum Color {

		RED, GREEN, BLUE

	}

}
