package io.github.springsignalr.interop.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.cluster.RequestForwardingWebFilter;
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
			nodes.add(new SpringApplicationBuilder(ScaleApplication.class).web(WebApplicationType.REACTIVE)
				.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
						"signalr.redis.url=" + redis.url())
				.run());
		}
		proxy = RoundRobinProxy.start(nodes.stream().map(JavaScriptClientsOnThreeNodesTests::port).toList());
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

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	@Test
	void clientsOnEveryTransportSpreadOverThreeNodesReceiveAGroupBroadcastFromAnyNode() {
		String nodeUrls = nodes.stream().map((node) -> "http://127.0.0.1:" + port(node))
			.collect(Collectors.joining(","));

		NodeTests.runFile("scale/three-nodes.test.mjs", "http://127.0.0.1:" + proxy.port(), Duration.ofMinutes(2),
				Map.of("SIGNALR_NODE_URLS", nodeUrls));

		assertThat(proxy.acceptedPerBackend()).as("TCP connections the proxy sent to each node")
			.allSatisfy((count) -> assertThat(count).isPositive());
		assertThat(nodes).as("nodes that forwarded requests to the owner of their connection")
			.allSatisfy((node) -> assertThat(node.getBean(RequestForwardingWebFilter.class).forwardedCount())
				.isPositive());
	}

	/** The application each node runs. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ ScaleHub.class, BroadcastController.class })
	static class ScaleApplication {

		/** No login: the interop module has Spring Security on its classpath. */
		@Bean
		SecurityWebFilterChain openSecurity(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

	}

	/** Joins groups and tells a client which node owns its connection. */
	@Hub("/scale")
	static class ScaleHub {

		private final NodeDirectory directory;

		ScaleHub(NodeDirectory directory) {
			this.directory = directory;
		}

		public Mono<Void> joinGroup(String group, HubCallerContext caller, GroupManager groups) {
			return groups.addToGroup(caller.connectionId(), group);
		}

		public String ownerNode() {
			return this.directory.localNodeId();
		}

	}

	/** Sends to a group from outside the hub, through this node's {@link HubContext}. */
	@RestController
	static class BroadcastController {

		private final HubContext<ScaleHub> hubContext;

		private final NodeDirectory directory;

		BroadcastController(HubContext<ScaleHub> hubContext, NodeDirectory directory) {
			this.hubContext = hubContext;
			this.directory = directory;
		}

		@PostMapping("/scale/broadcast")
		Mono<String> broadcast(@RequestParam String group, @RequestParam String message) {
			return this.hubContext.clients().group(group).send("Receive", message)
				.thenReturn(this.directory.localNodeId());
		}

	}

}
