package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Drives the chat hub with two official JavaScript clients ({@code @microsoft/signalr}, run by Node)
 * through {@code src/test/js/chat-clients.cjs}; the script fails on the first callback that is
 * missing or that reached a client it should have spared.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatHubIntegrationTests {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

	@LocalServerPort
	private int port;

	@Test
	void broadcastsMessagesToEveryClient() throws Exception {
		assertScenarioPasses("broadcast");
	}

	@Test
	void deliversRoomMessagesOnlyToMembersOfThatRoom() throws Exception {
		assertScenarioPasses("rooms");
	}

	@Test
	void announcesUsersJoiningAndLeavingRoomsByNameOrConnectionId() throws Exception {
		assertScenarioPasses("presence");
	}

	private void assertScenarioPasses(String scenario) throws Exception {
		NodeScript.Result result = NodeScript.run("chat-clients.cjs", SCRIPT_TIMEOUT, "http://localhost:" + this.port,
				scenario);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("scenario " + scenario + " passed");
	}
}
