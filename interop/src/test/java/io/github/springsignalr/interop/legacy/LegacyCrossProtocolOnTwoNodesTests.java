package io.github.springsignalr.interop.legacy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.TestedStack;
import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.redis.RedisServer;

/**
 * {@link LegacyCrossProtocolTests} across two nodes of the interop server sharing a real Redis backplane
 * ({@code LEGACY-PROTOCOL.md} §13 item 18): the jQuery page on node A, {@code @microsoft/signalr} and the
 * Java client 9.0.3 on node B; broadcasts, group sends and {@code HubContext} sends of either node cross
 * both ways, each node writing the classic, JSON and MessagePack encodings of its own clients.
 */
class LegacyCrossProtocolOnTwoNodesTests {

	private static @Nullable RedisServer redis;

	private static @Nullable ConfigurableApplicationContext nodeA;

	private static @Nullable ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		RedisServer server = RedisServer.start();
		redis = server;
		nodeA = startNode(server.url());
		nodeB = startNode(server.url());
	}

	private static ConfigurableApplicationContext startNode(String redisUrl) {
		return TestedStack.application(InteropApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
					"signalr.redis.url=" + redisUrl)
			.run();
	}

	@AfterAll
	static void stopNodes() {
		for (AutoCloseable closeable : new @Nullable AutoCloseable[] { nodeA, nodeB, redis }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					// closing the others
				}
			}
		}
	}

	@Test
	void jqueryPageOnOneNodeAndJavaScriptAndJavaClientsOnTheOtherSeeEachOthersMessages() {
		String urlA = url(nodeA);
		String urlB = url(nodeB);
		try (AnsweringJavaClient java = AnsweringJavaClient.connect(urlB)) {
			NodeTests.runFile("legacy/cross-protocol.test.mjs", urlA, Duration.ofMinutes(3),
					Map.of("SIGNALR_MODERN_URL", urlB, "SIGNALR_JAVA_CONNECTION_ID", java.connectionId()));
			LegacyCrossProtocolTests.assertSawTheOthers(java);
		}
	}

	private static String url(@Nullable ConfigurableApplicationContext node) {
		if (!(node instanceof WebServerApplicationContext web)) {
			throw new IllegalStateException("The node did not start: " + node);
		}
		return "http://localhost:" + web.getWebServer().getPort();
	}
}
