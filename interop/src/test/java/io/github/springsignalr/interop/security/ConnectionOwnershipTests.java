package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;
import tools.jackson.databind.JsonNode;

/**
 * A connection belongs to the user who negotiated it: another user presenting its connection token,
 * on any transport request, gets the 404 of an unknown id and nothing of the owner's traffic (and a 403
 * {@code user_changed} for an authentication refresh: {@code /authorizedhub} has refresh enabled, as
 * ASP.NET Core 11 had to fix in dotnet/aspnetcore#68008), and the owner's connection goes on undisturbed.
 * Guessed ids and the public connection id get 404 too.
 */
@SpringBootTest(classes = { InteropApplication.class, SecurityTestHubs.class }, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SecurityTestHubs.CONFIGURATION, SecurityTestHubs.AUTHORITY_CONFIGURATION })
class ConnectionOwnershipTests {

	private static final String NOT_FOUND_BODY = "No Connection with that ID";

	@LocalServerPort
	private int port;

	private SecurityHttp http;

	@BeforeEach
	void client() {
		this.http = new SecurityHttp(this.port);
	}

	@Test
	void secondUserPresentingLongPollingConnectionTokenGetsNotFoundEverywhereAndNoneOfTheOwnersTraffic() {
		String alice = this.http.token("alice");
		String bob = this.http.token("bob");
		String connection = "/authorizedhub?id=" + this.http.negotiate("/authorizedhub", alice).get("connectionToken").asString();
		assertThat(this.http.send("GET", connection, alice, Map.of(), "").statusCode()).isEqualTo(200);
		assertThat(this.http.send("POST", connection, alice, Map.of(), SecurityHttp.HANDSHAKE).statusCode()).isEqualTo(200);
		assertThat(this.http.send("POST", connection, alice, Map.of(), SecurityHttp.invocation("a1", "Echo", "alice's secret"))
			.statusCode()).isEqualTo(200);

		assertRefusedAsUnknown(connection, bob);
		assertRefreshRefused(connection, bob);

		List<JsonNode> received = pollUntil(connection, alice, isCompletion("a1"));
		assertThat(received.get(0).isEmpty()).as("handshake response first: %s", received).isTrue();
		assertThat(received).filteredOn(isCompletion("a1")).singleElement()
			.satisfies((completion) -> assertThat(completion.get("result").asString()).isEqualTo("alice's secret"));
		assertThat(this.http.send("POST", connection, alice, Map.of(), SecurityHttp.invocation("a2", "Echo", "still mine"))
			.statusCode()).isEqualTo(200);
		received.addAll(pollUntil(connection, alice, isCompletion("a2")));
		assertThat(received).noneMatch(isCompletion("b1"));
		assertThat(received.toString()).doesNotContain("bob's injection");
		assertThat(this.http.send("DELETE", connection, alice, Map.of(), "").statusCode()).isEqualTo(202);
	}

	@Test
	void secondUserPresentingWebSocketConnectionTokenGetsNotFoundEverywhereAndNoneOfTheOwnersTraffic() {
		String alice = this.http.token("alice");
		String bob = this.http.token("bob");
		String connection = "/authorizedhub?id=" + this.http.negotiate("/authorizedhub", alice).get("connectionToken").asString();
		RecordingSocket socket = this.http.openWebSocket(connection, Map.of("Authorization", "Bearer " + alice));
		socket.handshake();
		socket.send(SecurityHttp.invocation("a1", "Echo", "alice's secret"));
		assertThat(HubAuthorizationTests.completion(socket, "a1").get("result").asString()).isEqualTo("alice's secret");

		assertRefusedAsUnknown(connection, bob);
		assertRefreshRefused(connection, bob);
		// the same with the token in the query, as browsers send it
		assertThat(this.http.refusedWebSocketStatus(connection + "&access_token=" + bob, Map.of())).isEqualTo(404);

		socket.send(SecurityHttp.invocation("a2", "Echo", "still mine"));
		assertThat(HubAuthorizationTests.completion(socket, "a2").get("result").asString()).isEqualTo("still mine");
		assertThat(socket.isClosed()).isFalse();
		assertThat(socket.received()).noneMatch(isCompletion("b1"));
		socket.close();
	}

	@Test
	void secondUserPresentingServerSentEventsConnectionTokenGetsNotFoundEverywhereAndNoneOfTheOwnersTraffic() throws Exception {
		String alice = this.http.token("alice");
		String bob = this.http.token("bob");
		String connection = "/authorizedhub?id=" + this.http.negotiate("/authorizedhub", alice).get("connectionToken").asString();
		BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
		AutoCloseable stream = this.http.eventStream(connection, alice, events::add);
		try {
			List<JsonNode> received = new ArrayList<>();
			postUntilAccepted(connection, alice, SecurityHttp.HANDSHAKE);
			received.add(next(events, (message) -> true));
			assertThat(received.get(0).isEmpty()).as("handshake response %s", received).isTrue();
			assertThat(this.http.send("POST", connection, alice, Map.of(), SecurityHttp.invocation("a1", "Echo", "alice's secret"))
				.statusCode()).isEqualTo(200);
			received.add(next(events, isCompletion("a1")));

			assertRefusedAsUnknown(connection, bob);
		assertRefreshRefused(connection, bob);

			assertThat(this.http.send("POST", connection, alice, Map.of(), SecurityHttp.invocation("a2", "Echo", "still mine"))
				.statusCode()).isEqualTo(200);
			JsonNode second = next(events, isCompletion("a2"));
			assertThat(second.get("result").asString()).isEqualTo("still mine");
			received.add(second);
			events.drainTo(received);
			assertThat(received).noneMatch(isCompletion("b1"));
		}
		finally {
			stream.close();
		}
	}

	@Test
	void tokenNegotiatedWithCredentialsIsUnknownWithoutThemAndTheOtherWayRound() {
		String alice = this.http.token("alice");
		String withCredentials = this.http.negotiate("/security-open", alice).get("connectionToken").asString();
		assertRefusedAsUnknown("/security-open?id=" + withCredentials, null);
		String anonymous = this.http.negotiate("/security-open", null).get("connectionToken").asString();
		assertRefusedAsUnknown("/security-open?id=" + anonymous, alice);
		// the owners themselves are let in
		RecordingSocket socket = this.http.openWebSocket("/security-open?id=" + withCredentials,
				Map.of("Authorization", "Bearer " + alice));
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "WhoAmI"));
		assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString()).isEqualTo("alice");
		socket.close();
	}

	@Test
	void guessedConnectionTokenAndPublicConnectionIdAreUnknown() {
		String alice = this.http.token("alice");
		byte[] random = new byte[16];
		new SecureRandom().nextBytes(random);
		assertRefusedAsUnknown("/authorizedhub?id=" + Base64.getUrlEncoder().withoutPadding().encodeToString(random),
				alice);
		JsonNode negotiated = this.http.negotiate("/authorizedhub", alice);
		String connectionId = negotiated.get("connectionId").asString();
		String connectionToken = negotiated.get("connectionToken").asString();
		assertThat(connectionToken).isNotEqualTo(connectionId).doesNotContain(connectionId);
		// the public id is no key to the connection, not even for its owner
		assertRefusedAsUnknown("/authorizedhub?id=" + connectionId, alice);
	}

	/** Every transport request with the token (as {@code bearer}, or anonymous) gets 404 and has no effect. */
	private void assertRefusedAsUnknown(String connection, @Nullable String bearer) {
		Map<String, String> authorization = new HashMap<>();
		if (bearer != null) {
			authorization.put("Authorization", "Bearer " + bearer);
		}
		assertThat(this.http.refusedWebSocketStatus(connection, authorization)).as("WebSocket upgrade").isEqualTo(404);
		assertNotFound(this.http.send("GET", connection, bearer, Map.of("Accept", "text/event-stream"), ""));
		assertNotFound(this.http.send("GET", connection, bearer, Map.of(), ""));
		assertNotFound(this.http.send("POST", connection, bearer, Map.of(),
				SecurityHttp.HANDSHAKE + SecurityHttp.invocation("b1", "Echo", "bob's injection")));
		assertNotFound(this.http.send("DELETE", connection, bearer, Map.of(), ""));
	}

	/**
	 * The hub refreshes authentication (as the reference's functional-test server): another user's
	 * refresh of the connection is refused and changes nothing.
	 */
	private void assertRefreshRefused(String connection, String bearer) {
		int query = connection.indexOf('?');
		AuthenticationRefreshTests.assertError(this.http.send("POST", connection.substring(0, query) + "/refresh"
				+ connection.substring(query), bearer, Map.of(), ""), 403, "user_changed");
	}

	private static void assertNotFound(HttpResponse<String> response) {
		assertThat(response.statusCode()).as("%s %s", response.request().method(), response.request().headers().map())
			.isEqualTo(404);
		assertThat(response.body()).isEqualTo(NOT_FOUND_BODY);
	}

	/** Long polls until a message matches; every poll is bounded by the client's timeout. */
	private List<JsonNode> pollUntil(String connection, String bearer, Predicate<JsonNode> wanted) {
		List<JsonNode> received = new ArrayList<>();
		for (int poll = 0; poll < 5; poll++) {
			HttpResponse<String> response = this.http.send("GET", connection, bearer, Map.of(), "");
			assertThat(response.statusCode()).as("poll: %s", response.body()).isEqualTo(200);
			received.addAll(SecurityHttp.messages(response.body()));
			if (received.stream().anyMatch(wanted)) {
				return received;
			}
		}
		throw new AssertionError("No matching message in 5 polls; received " + received);
	}

	/** POSTs once the SSE stream is attached (the first POST may race the stream's GET). */
	private void postUntilAccepted(String connection, String bearer, String body) {
		long deadline = System.nanoTime() + SecurityHttp.TIMEOUT.toNanos();
		while (true) {
			HttpResponse<String> response = this.http.send("POST", connection, bearer, Map.of(), body);
			if (response.statusCode() == 200) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("POST not accepted: " + response.statusCode() + " " + response.body());
			}
			sleep(Duration.ofMillis(50));
		}
	}

	private static JsonNode next(BlockingQueue<JsonNode> events, Predicate<JsonNode> wanted) {
		long deadline = System.nanoTime() + SecurityHttp.TIMEOUT.toNanos();
		try {
			while (true) {
				JsonNode message = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (message == null) {
					throw new AssertionError("No matching event within " + SecurityHttp.TIMEOUT);
				}
				if (wanted.test(message)) {
					return message;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Predicate<JsonNode> isCompletion(String invocationId) {
		return (message) -> message.path("type").asInt() == 3 && invocationId.equals(message.path("invocationId").asString());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
