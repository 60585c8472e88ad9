package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-connection ordered buffer of classic messages: bounded in entries and bytes (oldest first),
 * what comes after a cursor in order, and the single-message envelope written per recipient.
 */
class OutboundBufferTests {

	private static byte[] json(int value) {
		return Integer.toString(value).getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void keepsTheNewestMessagesWithinItsBoundsAndAnswersWhatComesAfterACursorInOrder() {
		OutboundBuffer buffer = new OutboundBuffer("AB", 3, 1000);
		for (int i = 1; i <= 5; i++) {
			assertThat(buffer.append(json(i))).isEqualTo(i);
		}
		assertThat(buffer.size()).isEqualTo(3);
		assertThat(buffer.response(0, "")).isEqualTo("{\"C\":\"d-AB-5\",\"M\":[3,4,5]}");
		assertThat(buffer.response(3, ",\"L\":1")).isEqualTo("{\"C\":\"d-AB-5\",\"L\":1,\"M\":[4,5]}");
		assertThat(buffer.response(5, "")).isEqualTo("{\"C\":\"d-AB-5\",\"M\":[]}");
		assertThat(buffer.hasAfter(4)).isTrue();
		buffer.acknowledge(4);
		assertThat(buffer.size()).isEqualTo(1);
		assertThat(buffer.hasAfter(5)).isFalse();
		assertThat(buffer.position("d-AB-4")).isEqualTo(4);
		assertThat(buffer.position("d-XY-4")).as("a foreign cursor means from now").isEqualTo(5);
	}

	@Test
	void dropsTheOldestMessagesPastItsByteBoundAndGrowsAcrossTheRingsEnd() {
		OutboundBuffer bytes = new OutboundBuffer("AB", 100, 5);
		bytes.append(json(10));
		bytes.append(json(11));
		bytes.append(json(12));
		assertThat(bytes.response(0, "")).isEqualTo("{\"C\":\"d-AB-3\",\"M\":[11,12]}");
		OutboundBuffer ring = new OutboundBuffer("AB", 20, 1 << 20);
		for (int i = 1; i <= 45; i++) {
			ring.append(json(i));
			if (i % 7 == 0 && i <= 14) {
				ring.acknowledge(i - 3);
			}
		}
		String expected = IntStream.rangeClosed(26, 45).mapToObj(Integer::toString).collect(Collectors.joining(","));
		assertThat(ring.response(25, "")).isEqualTo("{\"C\":\"d-AB-2d\",\"M\":[" + expected + "]}");
	}

	@Test
	void singleMessageEnvelopeCarriesItsCursorInHex() {
		OutboundBuffer buffer = new OutboundBuffer("AB", 10, 1000);
		byte[] message = "{\"H\":\"h\",\"M\":\"m\",\"A\":[]}".getBytes(StandardCharsets.UTF_8);
		assertThat(new String(buffer.single(1, message), StandardCharsets.UTF_8))
			.isEqualTo("{\"C\":\"d-AB-1\",\"M\":[{\"H\":\"h\",\"M\":\"m\",\"A\":[]}]}");
		assertThat(new String(buffer.single(0x1f3a, message), StandardCharsets.UTF_8)).startsWith("{\"C\":\"d-AB-1f3a\"");
		assertThat(new String(buffer.single(Long.MAX_VALUE, message), StandardCharsets.UTF_8))
			.startsWith("{\"C\":\"d-AB-7fffffffffffffff\"");
	}
}
