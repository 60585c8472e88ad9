package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection tokens of a node of a cluster: they start with its id, which is signed with the rest. */
class ConnectionTokensNodeTests {

	private static final byte[] SECRET = "a-secret-the-nodes-share-0123456789".getBytes(StandardCharsets.UTF_8);

	@Test
	void tokenStartsWithTheNodeIdAndIsAcceptedByEveryNodeSharingTheSecret() {
		String token = new ConnectionTokens(SECRET, "node-a").create("abc", "alice");
		assertThat(token).startsWith("node-a.");
		assertThat(new ConnectionTokens(SECRET, "node-b").connectionId(token, "Alice")).isEqualTo("abc");
		assertThat(new ConnectionTokens(SECRET).connectionId(token, "alice")).isEqualTo("abc");
	}

	@Test
	void tokenWithAnotherNodeIdIsRefused() {
		String token = new ConnectionTokens(SECRET, "node-a").create("abc", "");
		String moved = "node-b" + token.substring("node-a".length());
		assertThatThrownBy(() -> new ConnectionTokens(SECRET, "node-b").connectionId(moved, ""))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(400))
			.hasMessage("The ConnectionId is in the incorrect format.");
	}
}
