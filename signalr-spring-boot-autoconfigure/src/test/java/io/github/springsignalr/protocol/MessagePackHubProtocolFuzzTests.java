package io.github.springsignalr.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes the MessagePack hub protocol's reading of client data (the length prefix, the message arrays
 * and every MessagePack type its arguments may hold): see {@link HubProtocolFuzzing} for what is
 * checked. The inputs in {@code MessagePackHubProtocolFuzzTestsInputs/} are replayed by every build; with
 * {@code JAZZER_FUZZ=1} it fuzzes.
 */
class MessagePackHubProtocolFuzzTests {

	private final MessagePackHubProtocol protocol = new MessagePackHubProtocol(JsonMapper.builder().build());

	@FuzzTest(maxDuration = "20s")
	void readsClientDataAsMessagesOrRejectsItAsInvalid(byte[] data) {
		HubProtocolFuzzing.check(this.protocol, data);
	}
}
