package io.github.springsignalr.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the handshake: a request is read, or the connection waits for its separator, or it is
 * rejected with {@link InvalidDataException} (all the connection catches); the bytes after the
 * separator are left for the hub protocol; an error response carrying any text is valid JSON that says
 * that text. The inputs in {@code HandshakeProtocolFuzzTestsInputs/} are replayed by every build; with
 * {@code JAZZER_FUZZ=1} it fuzzes.
 */
class HandshakeProtocolFuzzTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@FuzzTest(maxDuration = "15s")
	void readsTheHandshakeOrRejectsItAsInvalid(byte[] data) {
		ByteBuffer input = ByteBuffer.wrap(data);
		int separator = TextMessageFormat.indexOfSeparator(input);
		try {
			HandshakeRequest request = HandshakeProtocol.parseRequest(input);
			if (request == null) {
				assertThat(separator).isEqualTo(-1);
				assertThat(input.position()).isZero();
			}
			else {
				assertThat(request.protocol()).isNotNull();
				assertThat(input.position()).isEqualTo(separator + 1);
			}
		}
		catch (InvalidDataException ex) {
			assertThat(separator).isNotEqualTo(-1);
			assertThat(ex.getMessage()).isNotBlank();
		}
		String error = new String(data, StandardCharsets.UTF_8);
		byte[] response = HandshakeProtocol.errorResponse(error);
		assertThat(response[response.length - 1]).isEqualTo(TextMessageFormat.RECORD_SEPARATOR);
		JsonNode body = JSON.readTree(new String(response, 0, response.length - 1, StandardCharsets.UTF_8));
		assertThat(body.get("error").stringValue()).isEqualTo(error);
	}
}
