package io.github.springsignalr.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.github.springsignalr.test.TestHubApplication.Reading;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link HubTester} against a real server: each capability on JSON and MessagePack, and the assertion
 * messages a test author reads when an expectation does not hold.
 */
@SpringBootTest(classes = TestHubApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.enable-detailed-errors=false")
@AutoConfigureHubTester
class HubTesterTests {

	@Autowired
	private HubTester hubTester;

	@Test
	void invokesAndReadsResultsAsValuesAndRecords() {
		for (HubTester tester : List.of(this.hubTester, this.hubTester.withMessagePack())) {
			try (HubTestConnection lab = tester.connect("/lab")) {
				lab.invoke("Add", 2, 3).expectResult(5);
				assertThat(lab.invoke("Latest", "t1").returnResult(Reading.class)).isEqualTo(new Reading("t1", 21.5));
				lab.invoke("Latest", "t2").expectResult(new Reading("t2", 21.5));
			}
		}
	}

	@Test
	void readsTheErrorTextTheClientGets() {
		try (HubTestConnection lab = this.hubTester.connect("/lab")) {
			// a HubException's message reaches the client in the reference's wording
			lab.invoke("Refuse", "closed")
				.expectError("An unexpected error occurred invoking 'Refuse' on the server. HubException: Refused: closed");
			assertThat(lab.invoke("Nope").expectError()).isEqualTo("Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.");
			assertThat(lab.invoke("Add", 1).expectError())
				.isEqualTo("Failed to invoke 'Add' due to an error on the server.");
		}
	}

	@Test
	void readsStreamsInOrderAndCancelsThem() {
		for (HubTester tester : List.of(this.hubTester, this.hubTester.withMessagePack())) {
			try (HubTestConnection lab = tester.connect("/lab")) {
				lab.stream("CountTo", 3).expectNext(1, 2, 3).expectComplete();
				var forever = lab.stream("Forever");
				assertThat(forever.takeItems(3, Long.class)).containsExactly(0L, 1L, 2L);
				forever.cancel();
				// the server still answers on the same connection after the cancel
				lab.invoke("Add", 1, 1).expectResult(2);
			}
		}
	}

	@Test
	void seesGroupSendsReachMembersOnly() {
		try (HubTestConnection ada = this.hubTester.connect("/lab");
				HubTestConnection bob = this.hubTester.withMessagePack().connect("/lab")) {
			ada.invoke("Join", "attic").expectCompletion();
			bob.invoke("Say", "attic", "anyone?").expectCompletion();
			ada.expectCall("Said").expectArguments("attic", "anyone?");
			bob.expectNoCall("Said", Duration.ofMillis(300));
		}
	}

	@Test
	void readsRecordArgumentsOfServerCalls() {
		try (HubTestConnection lab = this.hubTester.connect("/lab")) {
			lab.invoke("Report", new Reading("t3", -4.0)).expectCompletion();
			ClientCall call = lab.expectCall("reported");
			assertThat(call.argument(0, Reading.class)).isEqualTo(new Reading("t3", -4.0));
		}
	}

	@Test
	void answersClientResults() {
		try (HubTestConnection lab = this.hubTester.connect("/lab")) {
			lab.onInvoke("GetName", (call) -> "Ada");
			lab.invoke("AskName").expectResult("Hello Ada");
			lab.onInvoke("GetName", (call) -> {
				throw new IllegalStateException("no name here");
			});
			assertThat(lab.invoke("AskName").expectError()).contains("no name here");
		}
	}

	/** The README's example: a stream, a group and a client call, in under 20 lines. */
	@Test
	void aHubWithAStreamAGroupAndAClientCall() {
		try (HubTestConnection ada = this.hubTester.connect("/lab");
				HubTestConnection lin = this.hubTester.withMessagePack().connect("/lab")) {
			ada.invoke("Join", "attic").expectCompletion();
			lin.invoke("Say", "attic", "hi").expectCompletion();
			ada.expectCall("Said").expectArguments("attic", "hi");
			lin.expectNoCall("Said", Duration.ofMillis(300));

			ada.stream("CountTo", 3).expectNext(1, 2, 3).expectComplete();

			ada.onInvoke("GetName", (call) -> "Ada");
			ada.invoke("AskName").expectResult("Hello Ada");
		}
	}

	@Test
	void failingExpectationsSayWhatWasExpectedAndWhatCame() {
		HubTester quick = this.hubTester.withTimeout(Duration.ofMillis(500));
		try (HubTestConnection lab = quick.connect("/lab")) {
			assertThatThrownBy(() -> lab.invoke("Add", 2, 2).expectResult(5))
				.isInstanceOf(AssertionError.class)
				.hasMessage("Expected 'Add' to return <5> but it returned <4>");
			assertThatThrownBy(() -> lab.invoke("Refuse", "x").expectCompletion())
				.hasMessage("Expected 'Refuse' to complete but it failed: An unexpected error occurred invoking 'Refuse' "
						+ "on the server. HubException: Refused: x");
			lab.invoke("Report", new Reading("t4", 1.0)).expectCompletion();
			assertThatThrownBy(() -> lab.expectCall("Said"))
				.hasMessageStartingWith("Expected a call of 'Said' within PT0.5S but only these came: [Reported[");
			assertThatThrownBy(() -> lab.expectCall("Reported").expectArguments(new Reading("t4", 2.0)))
				.hasMessageContaining("Expected argument 0 of 'Reported' to be <Reading[sensor=t4, value=2.0]> but was "
						+ "<Reading[sensor=t4, value=1.0]>");
			assertThatThrownBy(() -> lab.stream("CountTo", 2).expectNext(1, 2, 3))
				.hasMessage("Expected <3> from 'CountTo' but the stream completed");
		}
	}

	@Test
	void seesTheServerCloseTheConnection() {
		try (HubTestConnection lab = this.hubTester.connect("/lab")) {
			lab.send("Leave");
			assertThat(lab.expectClosed()).isNull();
			assertThat(lab.isClosed()).isTrue();
			assertThatThrownBy(() -> lab.invoke("Add", 1, 2).expectResult(3))
				.hasMessage("No result of 'Add': the connection had closed");
		}
	}

	@Test
	void refusedConnectsFailWithTheServersAnswer() {
		assertThatThrownBy(() -> this.hubTester.connect("/nowhere"))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("/nowhere/negotiate?negotiateVersion=1 answered 404");
	}
}
