package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.TestedStack;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;
import io.github.springsignalr.redis.RedisServer;

/**
 * Two nodes of the conformance server sharing a real Redis: an authentication refresh sent to the node
 * that does not own the connection is forwarded to its owner like every transport request, and the
 * owner answers it (each node signs its tokens with a key of its own, so only the owner could accept
 * the new token).
 */
class AuthenticationRefreshScaleOutTests {

	private static RedisServer redis;

	private static ConfigurableApplicationContext owner;

	private static ConfigurableApplicationContext other;

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		owner = start();
		other = start();
	}

	private static ConfigurableApplicationContext start() {
		return TestedStack.application(InteropApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
					"signalr.redis.url=" + redis.url(), "signalr.close-on-authentication-expiration=true")
			.run();
	}

	@AfterAll
	static void stopNodes() {
		if (other != null) {
			other.close();
		}
		if (owner != null) {
			owner.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	@Test
	void refreshSentToTheOtherNodeIsAnsweredByTheConnectionsOwner() {
		SecurityHttp atOwner = new SecurityHttp(port(owner));
		SecurityHttp atOther = new SecurityHttp(port(other));
		String first = atOwner.token("alice", 30, null);
		String connectionToken = atOwner.negotiate("/authorizedhub", first).get("connectionToken").asString();
		RecordingSocket socket = atOwner.openWebSocket("/authorizedhub?id=" + connectionToken,
				Map.of("Authorization", "Bearer " + first));
		socket.handshake();
		long forwarded = TestedStack.forwardedCount(other);

		HttpResponse<String> refreshed = atOther.refresh("/authorizedhub", connectionToken, atOwner.token("alice", 60, null));
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		JsonNode body = SecurityHttp.parse(refreshed.body());
		// the new token's lifetime (what is left of it when answered), longer than all the first token had
		assertThat(body.get("tokenLifetimeSeconds").asInt()).isBetween(31, 60);
		// another user's refresh is refused there too
		AuthenticationRefreshTests.assertError(
				atOther.refresh("/authorizedhub", connectionToken, atOwner.token("bob", 60, null)), 403, "user_changed");
		assertThat(TestedStack.forwardedCount(other)).isEqualTo(forwarded + 2);

		socket.send(SecurityHttp.invocation("1", "Echo", "still here"));
		assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString()).isEqualTo("still here");
		socket.close();
	}
}
