package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;

/**
 * ASP.NET Core 11's authentication refresh over raw HTTP and WebSockets: negotiate's
 * {@code tokenLifetimeSeconds}, the statuses and {@code error} codes of {@code POST {hub}/refresh}, and
 * what a refresh changes on the open connection (later invocations, their authorization, the hub's
 * callback, {@code Clients.User}, the authentication expiry) and what it never changes (its user, a
 * running invocation's principal).
 */
@SpringBootTest(classes = { InteropApplication.class, RefreshTestHubs.class, SecurityTestHubs.class }, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "signalr.hubs.RefreshHub.authentication-refresh.enabled=true",
				"signalr.hubs.RefreshOpenHub.authentication-refresh.enabled=true",
				"signalr.close-on-authentication-expiration=true", "signalr.allow-stateful-reconnects=true" })
class AuthenticationRefreshTests {

	private static final String HUB = "/refresh-hub";

	@LocalServerPort
	private int port;

	private SecurityHttp http;

	@BeforeEach
	void client() {
		this.http = new SecurityHttp(this.port);
	}

	@Test
	void negotiateReportsTheTokenLifetimeWhereRefreshIsEnabled() {
		JsonNode negotiated = this.http.negotiate(HUB, this.http.token("alice", 30, null));
		// what is left of the token when the answer is written: a loaded machine takes seconds between the two
		assertThat(negotiated.get("tokenLifetimeSeconds").asInt()).isBetween(20, 30);
		assertThat(this.http.negotiate("/authorizedhub", this.http.token("alice")).get("tokenLifetimeSeconds").asInt())
			.isBetween(1, 5);
		// no refresh on the hub, or no credentials to refresh
		assertThat(this.http.negotiate("/testhub", this.http.token("alice", 30, null)).has("tokenLifetimeSeconds")).isFalse();
		assertThat(this.http.negotiate("/refresh-open", null).has("tokenLifetimeSeconds")).isFalse();
	}

	@Test
	void refreshAnswersTheReferenceStatusesAndErrorCodes() {
		String alice = this.http.token("alice", 30, null);
		String token = this.http.negotiate(HUB, alice).get("connectionToken").asString();
		assertThat(this.http.send("GET", HUB + "/refresh?id=" + token, alice, Map.of(), "").statusCode()).isEqualTo(405);
		assertError(this.http.send("POST", HUB + "/refresh", alice, Map.of(), ""), 400, "missing_connection_token");
		assertError(this.http.refresh(HUB, "unknown", alice), 404, "connection_not_found");
		// the hub's authorization applies, as to every request of the hub
		HubAuthorizationTests.assertUnauthorized(this.http.refresh(HUB, token, null));
		// the security chain refuses a bad token before the endpoint
		assertThat(this.http.refresh(HUB, token, alice.substring(0, alice.length() - 4) + "AAAA").statusCode())
			.isEqualTo(401);
		// on a hub open to everyone a refresh still needs credentials
		String open = this.http.negotiate("/refresh-open", alice).get("connectionToken").asString();
		assertError(this.http.refresh("/refresh-open", open, null), 401, "invalid_token");
		// only where it is enabled
		String testHub = this.http.negotiate("/testhub", alice).get("connectionToken").asString();
		assertThat(this.http.refresh("/testhub", testHub, alice).statusCode()).isEqualTo(404);
		// the id query works as the header does
		HttpResponse<String> refreshed = this.http.send("POST", HUB + "/refresh?id=" + token,
				this.http.token("alice", 60, null), Map.of(), "");
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		assertThat(refreshed.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = SecurityHttp.parse(refreshed.body());
		// the new token's lifetime, longer than all the first token had
		assertThat(body.get("tokenLifetimeSeconds").asInt()).isBetween(31, 60);
		assertThat(body.get("refreshedAt").asString()).isNotEmpty();
		assertThat(body.get("connectionId").asString()).isNotEqualTo(token);
	}

	@Test
	void laterInvocationsSeeTheRefreshedPrincipalWhileARunningOneKeepsItsOwn() {
		String first = this.http.token("alice", 30, null);
		String second = this.http.token("alice", 30, null);
		RecordingSocket socket = connect(first);
		socket.send(SecurityHttp.invocation("slow", "SlowTokenId"));
		assertRefreshed(this.http.refresh(HUB, socket.connectionToken, second));
		// the hub's @OnAuthenticationRefreshed ran with the new principal
		assertThat(socket.next(isInvocation("refreshed")).get("arguments").get(0).asString()).isEqualTo(tokenId(second));
		socket.send(SecurityHttp.invocation("after", "TokenId"));
		// one invocation at a time: the slow one completes first
		assertThat(result(socket, "slow")).isEqualTo(tokenId(first));
		assertThat(result(socket, "after")).isEqualTo(tokenId(second));
		socket.close();
	}

	@Test
	void refreshWithAnotherUsersTokenIsForbiddenAndTheConnectionKeepsItsUser() {
		String alice = this.http.token("alice", 30, null);
		RecordingSocket socket = connect(alice);
		assertError(this.http.refresh(HUB, socket.connectionToken, this.http.token("bob", 30, null)), 403, "user_changed");
		socket.send(SecurityHttp.invocation("1", "WhoAmI"));
		assertThat(result(socket, "1")).isEqualTo("alice");
		socket.send(SecurityHttp.invocation("2", "TokenId"));
		assertThat(result(socket, "2")).isEqualTo(tokenId(alice));
		assertThat(socket.received()).noneMatch(isInvocation("refreshed"));
		socket.close();
	}

	@Test
	void refreshAfterTheUsersScopeWasRevokedMakesTheNextCallFailAuthorization() {
		RecordingSocket socket = connect(this.http.token("alice", 30, "admin"));
		socket.send(SecurityHttp.invocation("1", "AdminOnly"));
		assertThat(result(socket, "1")).isEqualTo("admin");
		assertRefreshed(this.http.refresh(HUB, socket.connectionToken, this.http.token("alice", 30, null)));
		socket.send(SecurityHttp.invocation("2", "AdminOnly"));
		assertThat(HubAuthorizationTests.completion(socket, "2").get("error").asString())
			.isEqualTo("Failed to invoke 'AdminOnly' because user is unauthorized");
		socket.close();
	}

	@Test
	void applicationPolicyRejectsARefreshAndTheConnectionKeepsItsPrincipal() {
		String admin = this.http.token("alice", 30, "admin");
		RecordingSocket socket = connect(admin);
		assertError(this.http.refresh(HUB, socket.connectionToken, this.http.token("alice", 30, "suspended")), 403,
				"refresh_rejected");
		socket.send(SecurityHttp.invocation("1", "TokenId"));
		assertThat(result(socket, "1")).isEqualTo(tokenId(admin));
		socket.send(SecurityHttp.invocation("2", "AdminOnly"));
		assertThat(result(socket, "2")).isEqualTo("admin");
		socket.close();
	}

	@Test
	void clientsUserReachesTheConnectionUnderItsRefreshedIdentity() {
		RecordingSocket alice = connect(this.http.token("alice", 30, null));
		assertRefreshed(this.http.refresh(HUB, alice.connectionToken, this.http.token("alice", 30, null)));
		alice.next(isInvocation("refreshed"));
		RecordingSocket bob = connect(this.http.token("bob", 30, null));
		bob.send(SecurityHttp.invocation("1", "NotifyUser", "alice", "hello refreshed alice"));
		HubAuthorizationTests.completion(bob, "1");
		assertThat(alice.next(isInvocation("notify")).get("arguments").get(0).asString())
			.isEqualTo("hello refreshed alice");
		alice.close();
		bob.close();
	}

	@Test
	void refreshedTokenKeepsTheConnectionOpenPastTheFirstTokensExpiry() throws InterruptedException {
		RecordingSocket refreshed = connect(this.http.token("alice", 3, null));
		RecordingSocket expiring = connect(this.http.token("alice", 3, null));
		assertRefreshed(this.http.refresh(HUB, refreshed.connectionToken, this.http.token("alice", 30, null)));
		// the first tokens' 3 s and the heartbeat's second, with room
		Thread.sleep(Duration.ofSeconds(6).toMillis());
		JsonNode close = expiring.next((message) -> message.path("type").asInt() == 7);
		assertThat(close.path("allowReconnect").asBoolean()).isTrue();
		refreshed.send(SecurityHttp.invocation("1", "WhoAmI"));
		assertThat(result(refreshed, "1")).isEqualTo("alice");
		assertThat(refreshed.received()).noneMatch((message) -> message.path("type").asInt() == 7);
		refreshed.close();
	}

	@Test
	void anotherUserPresentingTheTokenOnAStatefulReconnectGetsNotFoundWithRefresh() {
		assertStatefulReconnectRefusedToAnotherUser(HUB);
	}

	@Test
	void anotherUserPresentingTheTokenOnAStatefulReconnectGetsNotFoundWithoutRefresh() {
		assertStatefulReconnectRefusedToAnotherUser("/security-methods");
	}

	private void assertStatefulReconnectRefusedToAnotherUser(String hub) {
		String alice = this.http.token("alice", 30, null);
		String token = this.http.send("POST", hub + "/negotiate?negotiateVersion=1&useStatefulReconnect=true", alice,
				Map.of(), "").body();
		assertThat(SecurityHttp.parse(token).get("useStatefulReconnect").asBoolean()).as(token).isTrue();
		String connectionToken = SecurityHttp.parse(token).get("connectionToken").asString();
		RecordingSocket socket = this.http.openWebSocket(hub + "?id=" + connectionToken,
				Map.of("Authorization", "Bearer " + alice));
		socket.send("{\"protocol\":\"json\",\"version\":2}" + SecurityHttp.RS);
		assertThat(socket.next((message) -> true).isEmpty()).isTrue();
		// a reconnect of the connection by bob, as the client sends it while the first socket is open
		assertThat(this.http.refusedWebSocketStatus(hub + "?id=" + connectionToken,
				Map.of("Authorization", "Bearer " + this.http.token("bob", 30, null)))).isEqualTo(404);
		socket.abort();
		assertThat(this.http.refusedWebSocketStatus(hub + "?id=" + connectionToken,
				Map.of("Authorization", "Bearer " + this.http.token("bob", 30, null)))).isEqualTo(404);
		// alice herself comes back to the same connection
		this.http.openWebSocket(hub + "?id=" + connectionToken, Map.of("Authorization", "Bearer " + alice)).close();
	}

	/** Negotiates and opens a WebSocket with the JSON protocol. */
	private RecordingSocket connect(String bearer) {
		String connectionToken = this.http.negotiate(HUB, bearer).get("connectionToken").asString();
		RecordingSocket socket = this.http.openWebSocket(HUB + "?id=" + connectionToken,
				Map.of("Authorization", "Bearer " + bearer));
		socket.connectionToken = connectionToken;
		socket.handshake();
		return socket;
	}

	private static void assertRefreshed(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	static void assertError(HttpResponse<String> response, int status, String error) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = SecurityHttp.parse(response.body());
		assertThat(body.get("error").asString()).isEqualTo(error);
		assertThat(body.get("error_description").asString()).isNotEmpty();
	}

	private static @Nullable String result(RecordingSocket socket, String invocationId) {
		JsonNode completion = HubAuthorizationTests.completion(socket, invocationId);
		assertThat(completion.has("error")).as("%s", completion).isFalse();
		return completion.get("result").asString();
	}

	private static Predicate<JsonNode> isInvocation(String target) {
		return (message) -> message.path("type").asInt() == 1 && target.equals(message.path("target").asString());
	}

	/** The {@code jti} of a JWT. */
	private static String tokenId(String jwt) {
		String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
				java.nio.charset.StandardCharsets.UTF_8);
		return SecurityHttp.parse(payload).get("jti").asString();
	}
}
