package io.github.springsignalr.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The handshake that starts every hub connection: a JSON request and response, each ended by the
 * record separator.
 */
class HandshakeProtocolTests {

	private static final String RS = "\u001e";

	private static ByteBuffer buffer(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void parsesRequestAndAdvancesPastSeparator() {
		String handshake = "{\"protocol\":\"json\",\"version\":1}" + RS;
		ByteBuffer input = buffer(handshake + "{\"type\":6}" + RS);

		HandshakeRequest request = HandshakeProtocol.parseRequest(input);

		assertThat(request).isEqualTo(new HandshakeRequest("json", 1));
		assertThat(input.position()).isEqualTo(handshake.length());
	}

	@Test
	void parsesSpecExampleWithWhitespaceAndUnknownProperties() {
		HandshakeRequest request = HandshakeProtocol.parseRequest(buffer("""
				{
				    "protocol": "messagepack",
				    "extra": {"a": [1, 2]},
				    "version": 1
				}""" + RS));
		assertThat(request).isEqualTo(new HandshakeRequest("messagepack", 1));
	}

	@Test
	void acceptsVersionBeforeProtocol() {
		assertThat(HandshakeProtocol.parseRequest(buffer("{\"version\":2,\"protocol\":\"json\"}" + RS)))
			.isEqualTo(new HandshakeRequest("json", 2));
	}

	@Test
	void returnsNullWhileSeparatorHasNotArrived() {
		ByteBuffer input = buffer("{\"protocol\":\"json\",\"ver");

		assertThat(HandshakeProtocol.parseRequest(input)).isNull();
		assertThat(input.position()).isZero();
	}

	@Test
	void rejectsRequestWithoutProtocol() {
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> HandshakeProtocol.parseRequest(buffer("{\"version\":1}" + RS)))
			.withMessage("Missing required property 'protocol'. Message content: {\"version\":1}");
	}

	@Test
	void rejectsRequestWithoutVersion() {
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> HandshakeProtocol.parseRequest(buffer("{\"protocol\":\"json\"}" + RS)))
			.withMessage("Missing required property 'version'. Message content: {\"protocol\":\"json\"}");
	}

	@Test
	void rejectsVersionThatIsNotANumber() {
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> HandshakeProtocol.parseRequest(buffer("{\"protocol\":\"json\",\"version\":\"1\"}" + RS)))
			.withMessage("Expected 'version' to be of type Number.");
	}

	@Test
	void rejectsRequestThatIsNotAnObject() {
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> HandshakeProtocol.parseRequest(buffer("[]" + RS)))
			.withMessage("Unexpected JSON Token Type 'StartArray'. Expected a JSON Object.");
	}

	@Test
	void rejectsMalformedJson() {
		assertThatExceptionOfType(InvalidDataException.class)
			.isThrownBy(() -> HandshakeProtocol.parseRequest(buffer("{\"protocol\":" + RS)));
	}

	@Test
	void writesSuccessResponse() {
		assertThat(HandshakeProtocol.successResponse()).containsExactly('{', '}', 0x1e);
	}

	@Test
	void successResponseCannotBeChangedByCaller() {
		HandshakeProtocol.successResponse()[0] = 'x';
		assertThat(new String(HandshakeProtocol.successResponse(), StandardCharsets.UTF_8)).isEqualTo("{}" + RS);
	}

	@Test
	void writesErrorResponse() {
		assertThat(new String(HandshakeProtocol.errorResponse("The protocol 'x' is not supported."),
				StandardCharsets.UTF_8))
			.isEqualTo("{\"error\":\"The protocol 'x' is not supported.\"}" + RS);
	}

	@Test
	void escapesErrorText() {
		assertThat(new String(HandshakeProtocol.errorResponse("a \"quoted\" \\ line\nend\u0001"),
				StandardCharsets.UTF_8))
			.isEqualTo("{\"error\":\"a \\\"quoted\\\" \\\\ line\\nend\\u0001\"}" + RS);
	}

}
