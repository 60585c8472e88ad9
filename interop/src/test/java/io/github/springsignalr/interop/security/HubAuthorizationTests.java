package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;
import tools.jackson.databind.JsonNode;

/**
 * Hub- and method-level authorization seen by a plain HTTP and WebSocket client: 401 with an empty
 * body and {@code WWW-Authenticate: Bearer} without credentials, 403 without permission, and the
 * reference's Completion error for a method the caller may not invoke.
 */
@SpringBootTest(classes = { InteropApplication.class, SecurityTestHubs.class }, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SecurityTestHubs.CONFIGURATION, SecurityTestHubs.AUTHORITY_CONFIGURATION })
class HubAuthorizationTests {

	@LocalServerPort
	private int port;

	private SecurityHttp http;

	@BeforeEach
	void client() {
		this.http = new SecurityHttp(this.port);
	}

	@Test
	void authorizedHubRefusesNegotiateAndEveryTransportWithoutTokenWith401AndEmptyBody() {
		assertUnauthorized(this.http.send("POST", "/authorizedhub/negotiate?negotiateVersion=1", null, Map.of(), ""));
		assertUnauthorized(this.http.send("GET", "/authorizedhub?id=anything", null, Map.of(), ""));
		assertUnauthorized(this.http.send("GET", "/authorizedhub?id=anything", null,
				Map.of("Accept", "text/event-stream"), ""));
		assertUnauthorized(this.http.send("POST", "/authorizedhub?id=anything", null, Map.of(), "{}" + SecurityHttp.RS));
		assertUnauthorized(this.http.send("DELETE", "/authorizedhub?id=anything", null, Map.of(), ""));
		assertThat(this.http.refusedWebSocketStatus("/authorizedhub", Map.of())).isEqualTo(401);
	}

	@Test
	void authorizedHubNegotiatesEveryTransportAndEchoesWithBearerToken() {
		String token = this.http.token("testuser");
		JsonNode negotiated = this.http.negotiate("/authorizedhub", token);
		assertThat(negotiated.get("availableTransports").findValuesAsString("transport"))
			.containsExactly("WebSockets", "ServerSentEvents", "LongPolling");
		RecordingSocket socket = this.http.openWebSocket(
				"/authorizedhub?id=" + negotiated.get("connectionToken").asString(),
				Map.of("Authorization", "Bearer " + token));
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "Echo", "with a token"));
		assertThat(completion(socket, "1").get("result").asString()).isEqualTo("with a token");
		socket.close();
	}

	@Test
	void invalidBearerTokenIsRefusedWith401() {
		String token = this.http.token("testuser");
		String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
		HttpResponse<String> response = this.http.send("POST", "/authorizedhub/negotiate?negotiateVersion=1", tampered,
				Map.of(), "");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.http.refusedWebSocketStatus("/authorizedhub?access_token=" + tampered, Map.of()))
			.isEqualTo(401);
	}

	@Test
	void hubWithRolesAllowedAdminIsForbiddenForValidNonAdminTokenAndUnauthorizedWithoutToken() {
		String token = this.http.token("testuser");
		HttpResponse<String> forbidden = this.http.send("POST", "/security-admin/negotiate?negotiateVersion=1", token,
				Map.of(), "");
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(forbidden.body()).isEmpty();
		assertThat(forbidden.headers().firstValue("WWW-Authenticate")).isEmpty();
		// a @PermitAll method does not open its hub to connections
		assertThat(this.http.refusedWebSocketStatus("/security-admin", Map.of("Authorization", "Bearer " + token)))
			.isEqualTo(403);
		assertThat(this.http.refusedWebSocketStatus("/security-admin?access_token=" + token, Map.of()))
			.isEqualTo(403);
		assertThat(this.http.send("GET", "/security-admin?id=anything", token, Map.of(), "").statusCode())
			.isEqualTo(403);
		assertUnauthorized(this.http.send("POST", "/security-admin/negotiate?negotiateVersion=1", null, Map.of(), ""));
		assertThat(this.http.refusedWebSocketStatus("/security-admin", Map.of())).isEqualTo(401);
	}

	@Test
	void hubConfiguredAsAuthenticatedIsUnauthorizedWithoutTokenAndOpenWithOne() {
		assertUnauthorized(
				this.http.send("POST", "/security-configured/negotiate?negotiateVersion=1", null, Map.of(), ""));
		assertThat(this.http.refusedWebSocketStatus("/security-configured", Map.of())).isEqualTo(401);
		String token = this.http.token("testuser");
		RecordingSocket socket = this.http.openWebSocket("/security-configured?access_token=" + token, Map.of());
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "Echo", "configured"));
		assertThat(completion(socket, "1").get("result").asString()).isEqualTo("configured");
		socket.close();
	}

	@Test
	void hubConfiguredWithAuthoritiesIsForbiddenForUserWithoutThem() {
		String token = this.http.token("testuser");
		HttpResponse<String> response = this.http.send("POST",
				"/security-configured-authority/negotiate?negotiateVersion=1", token, Map.of(), "");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
		assertUnauthorized(this.http.send("POST", "/security-configured-authority/negotiate?negotiateVersion=1", null,
				Map.of(), ""));
	}

	@Test
	void methodsWithTheirOwnRulesRefuseNonAdminWithTheReferenceErrorWhilePermittedMethodsWork() {
		RecordingSocket socket = methodsHub("testuser");
		assertThat(invoke(socket, "1", "WhoAmI").get("result").asString()).isEqualTo("testuser");
		assertUnauthorizedInvocation(invoke(socket, "2", "RolesAllowedAdmin"), "RolesAllowedAdmin");
		assertUnauthorizedInvocation(invoke(socket, "3", "PreAuthorizeAdmin"), "PreAuthorizeAdmin");
		assertUnauthorizedInvocation(invoke(socket, "4", "AdminByName"), "AdminByName");
		assertUnauthorizedInvocation(invoke(socket, "5", "Denied"), "Denied");
		assertThat(invoke(socket, "6", "Permitted").get("result").asString()).isEqualTo("permitted");
		// expressions see the invocation's arguments
		assertThat(invoke(socket, "7", "ShortEcho", "short").get("result").asString()).isEqualTo("short");
		assertUnauthorizedInvocation(invoke(socket, "8", "ShortEcho", "much too long"), "ShortEcho");
		// refusals leave the connection usable
		assertThat(invoke(socket, "9", "WhoAmI").get("result").asString()).isEqualTo("testuser");
		socket.close();
	}

	@Test
	void methodRuleGrantsTheUserItNames() {
		RecordingSocket socket = methodsHub("admin");
		assertThat(invoke(socket, "1", "AdminByName").get("result").asString()).isEqualTo("hello admin");
		// the admin's token carries no ADMIN role
		assertUnauthorizedInvocation(invoke(socket, "2", "RolesAllowedAdmin"), "RolesAllowedAdmin");
		socket.close();
	}

	private RecordingSocket methodsHub(String user) {
		RecordingSocket socket = this.http.openWebSocket("/security-methods?access_token=" + this.http.token(user),
				Map.of());
		socket.handshake();
		return socket;
	}

	private static JsonNode invoke(RecordingSocket socket, String invocationId, String target, String... arguments) {
		socket.send(SecurityHttp.invocation(invocationId, target, arguments));
		return completion(socket, invocationId);
	}

	static JsonNode completion(RecordingSocket socket, String invocationId) {
		return socket.next((message) -> message.path("type").asInt() == 3
				&& invocationId.equals(message.path("invocationId").asString()));
	}

	private static void assertUnauthorizedInvocation(JsonNode completion, String method) {
		assertThat(completion.has("result")).as("%s", completion).isFalse();
		assertThat(completion.get("error").asString())
			.isEqualTo("Failed to invoke '" + method + "' because user is unauthorized");
	}

	static void assertUnauthorized(HttpResponse<String> response) {
		assertThat(response.statusCode()).as("%s %s", response.request().method(), response.uri()).isEqualTo(401);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
	}
}
