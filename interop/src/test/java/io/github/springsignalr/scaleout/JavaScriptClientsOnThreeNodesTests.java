package io.github.springsignalr.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.interop.TestedStack;
import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.redis.RedisServer;
import io.github.springsignalr.redis.RoundRobinProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three application instances on their own random ports sharing one real Redis, behind a round-robin
 * TCP proxy without affinity: official JavaScript clients under Node on long polling, Server-Sent Events
 * and WebSockets, each HTTP request on a new TCP connection, join a group, and a {@code HubContext} send
 * from each node in turn reaches every one of them ({@code js/scale/three-nodes.test.mjs}).
 */
class JavaScriptClientsOnThreeNodesTests {

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private static RoundRobinProxy proxy;

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		for (int i = 0; i < 3; i++) {
			nodes.add(ScaleApplication.startNode(redis.url()));
		}
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
	void clientsOnEveryTransportSpreadOverThreeNodesReceiveAGroupBroadcastFromAnyNode() {
		NodeTests.runFile("scale/three-nodes.test.mjs", "http://127.0.0.1:" + proxy.port(), Duration.ofMinutes(2),
				Map.of("SIGNALR_NODE_URLS", ScaleApplication.urls(nodes)));

		assertThat(proxy.acceptedPerBackend()).as("TCP connections the proxy sent to each node")
			.allSatisfy((count) -> assertThat(count).isPositive());
		assertThat(nodes).as("nodes that forwarded requests to the owner of their connection")
			.allSatisfy((node) -> assertThat(TestedStack.forwardedCount(node))
				.isPositive());
	}

}
