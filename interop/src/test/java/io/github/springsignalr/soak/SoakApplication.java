package io.github.springsignalr.soak;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.interop.TestedStack;

/**
 * The application each node of the soak test runs: a hub at {@code /soak} that counts its connections'
 * {@code OnConnected} and {@code OnDisconnected} callbacks.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ SoakApplication.SoakHub.class, SoakApplication.Lifecycle.class, TestedStack.OpenSecurity.class })
class SoakApplication {

	/** Starts a node of the tested stack on a random port with the Redis backplane at {@code redisUrl}. */
	static ConfigurableApplicationContext startNode(String redisUrl) {
		return TestedStack.application(SoakApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
					"signalr.redis.url=" + redisUrl)
			.run();
	}

	static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	static String url(ConfigurableApplicationContext node) {
		return "http://127.0.0.1:" + port(node);
	}

	/** The connections open on the node, over every endpoint. */
	static int connectionCount(ConfigurableApplicationContext node) {
		return node.getBean(SignalRRouteRegistry.class).endpoints().stream()
			.mapToInt(ConnectionRoute::count)
			.sum();
	}

	/** What the hub's {@code OnConnected} and {@code OnDisconnected} callbacks saw on one node. */
	static class Lifecycle {

		private final AtomicLong connected = new AtomicLong();

		private final AtomicLong disconnected = new AtomicLong();

		private final Set<String> open = ConcurrentHashMap.newKeySet();

		void connected(String connectionId) {
			this.open.add(connectionId);
			this.connected.incrementAndGet();
		}

		void disconnected(String connectionId) {
			this.open.remove(connectionId);
			this.disconnected.incrementAndGet();
		}

		long connectedCount() {
			return this.connected.get();
		}

		long disconnectedCount() {
			return this.disconnected.get();
		}

		/** Whether {@code OnConnected} ran for the connection and {@code OnDisconnected} has not yet. */
		boolean isOpen(String connectionId) {
			return this.open.contains(connectionId);
		}

		Set<String> open() {
			return Set.copyOf(this.open);
		}

	}

	/** Joins groups, echoes, sends to a group; counts its connections' lifecycle callbacks. */
	@Hub("/soak")
	static class SoakHub {

		private final Lifecycle lifecycle;

		SoakHub(Lifecycle lifecycle) {
			this.lifecycle = lifecycle;
		}

		@OnConnected
		public void connected(HubCallerContext caller) {
			this.lifecycle.connected(caller.connectionId());
		}

		@OnDisconnected
		public void disconnected(HubCallerContext caller, @Nullable Throwable cause) {
			this.lifecycle.disconnected(caller.connectionId());
		}

		public Mono<Void> joinGroup(String group, HubCallerContext caller, GroupManager groups) {
			return groups.addToGroup(caller.connectionId(), group);
		}

		public String echo(String message) {
			return message;
		}

		public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
			return clients.group(group).send("Receive", message);
		}

	}

}
