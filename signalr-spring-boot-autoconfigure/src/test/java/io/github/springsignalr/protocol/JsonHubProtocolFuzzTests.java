package io.github.springsignalr.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes the JSON hub protocol's reading of client data: see {@link HubProtocolFuzzing} for what is
 * checked. The inputs in {@code JsonHubProtocolFuzzTestsInputs/} (what the official clients send, and
 * every input that once failed) are replayed by every build; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class JsonHubProtocolFuzzTests {

	private final JsonHubProtocol protocol = new JsonHubProtocol(JsonMapper.builder().build());

	@FuzzTest(maxDuration = "20s")
	void readsClientDataAsMessagesOrRejectsItAsInvalid(byte[] data) {
		HubProtocolFuzzing.check(this.protocol, data);
	}
}
