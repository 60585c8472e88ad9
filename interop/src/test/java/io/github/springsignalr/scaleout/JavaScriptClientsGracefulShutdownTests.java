package io.github.springsignalr.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.redis.RedisServer;
import io.github.springsignalr.redis.RoundRobinProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes sharing one real Redis behind a round-robin proxy; the first is shut down (its context
 * closed) while official JavaScript clients with automatic reconnect call the hub in a loop on every
 * transport: they get a Close that allows reconnecting and land on the second node, negotiates on the
 * stopping node get 503, and an invocation running at shutdown completes before the node leaves the
 * backplane ({@code js/scale/graceful-shutdown.test.mjs}).
 */
class JavaScriptClientsGracefulShutdownTests {

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private static RoundRobinProxy proxy;

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		nodes.add(ScaleApplication.startNode(redis.url(), "spring.lifecycle.timeout-per-shutdown-phase=5s"));
		nodes.add(ScaleApplication.startNode(redis.url()));
		proxy = RoundRobinProxy.start(nodes.stream().map(ScaleApplication::port).toList());
	}

	@AfterAll
	static void stopNodes() {
		if (proxy != null) {
			proxy.close();
		}
		nodes.forEach(ConfigurableApplicationContext::close);
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void clientsOfANodeShutDownUnderLoadReconnectToTheOtherNode() throws InterruptedException {
		String nodeUrls = ScaleApplication.urls(nodes);

		NodeTests.runFile("scale/graceful-shutdown.test.mjs", "http://127.0.0.1:" + proxy.port(),
				Duration.ofMinutes(2), Map.of("SIGNALR_NODE_URLS", nodeUrls));

		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (nodes.get(0).isActive() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(nodes.get(0).isActive()).as("the first node's context is closed").isFalse();
		assertThat(nodes.get(1).isActive()).isTrue();
	}

}
