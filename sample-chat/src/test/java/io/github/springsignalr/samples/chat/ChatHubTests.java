package io.github.springsignalr.samples.chat;

import java.time.Duration;

import io.github.springsignalr.test.AutoConfigureHubTester;
import io.github.springsignalr.test.HubTestConnection;
import io.github.springsignalr.test.HubTester;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The chat hub's rooms through {@link HubTester}: what members hear and a non-member does not, arrivals
 * and departures announced by the name in the hub URL (JSON for one member, MessagePack for the other).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHubTester
class ChatHubTests {

	@Autowired
	private HubTester hubTester;

	@Test
	void roomMessagesAndAnnouncementsReachTheRoomsMembersOnly() {
		try (HubTestConnection ada = this.hubTester.connect("/chat?name=Ada");
				HubTestConnection grace = this.hubTester.withMessagePack().connect("/chat?name=Grace");
				HubTestConnection lin = this.hubTester.connect("/chat?name=Lin")) {
			ada.invoke("JoinRoom", "attic").expectCompletion();
			grace.invoke("JoinRoom", "attic").expectCompletion();
			ada.expectCall("UserJoined").expectArguments("Ada", "attic");
			ada.expectCall("UserJoined").expectArguments("Grace", "attic");

			grace.invoke("SendToRoom", "attic", "Grace", "up here").expectCompletion();
			ada.expectCall("ReceiveMessage").expectArguments("Grace", "up here");
			grace.expectCall("ReceiveMessage").expectArguments("Grace", "up here");

			grace.invoke("LeaveRoom", "attic").expectCompletion();
			ada.expectCall("UserLeft").expectArguments("Grace", "attic");
			lin.expectNoCall("ReceiveMessage", Duration.ofMillis(300));
			lin.expectNoCall("UserJoined", Duration.ZERO);
		}
	}
}
