package io.github.springsignalr.scaleout;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.interop.TestedStack;

/**
 * The application each node of the scale-out tests runs: a hub at {@code /scale} and endpoints that
 * send to a group through the node's {@link HubContext} and shut the node down.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ ScaleApplication.ScaleHub.class, ScaleApplication.NodeController.class, TestedStack.OpenSecurity.class })
class ScaleApplication {

	/** Starts a node of the tested stack on a random port with the Redis backplane at {@code redisUrl}. */
	static ConfigurableApplicationContext startNode(String redisUrl, String... properties) {
		return TestedStack.application(ScaleApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
					"signalr.redis.url=" + redisUrl)
			.properties(properties)
			.run();
	}

	static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	static String urls(List<ConfigurableApplicationContext> nodes) {
		return String.join(",", nodes.stream().map((node) -> "http://127.0.0.1:" + port(node)).toList());
	}

	/** Joins groups, tells a client which node owns its connection, sends to a group after a while. */
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

		public String echo(String message) {
			return message;
		}

		/** Sends {@code Receive(message)} to a group after {@code delayMillis}: an invocation still running. */
		public Mono<Void> sendToGroupLater(String group, String message, long delayMillis, HubCallerClients clients) {
			return Mono.delay(Duration.ofMillis(delayMillis)).then(clients.group(group).send("Receive", message));
		}

	}

	/** Sends to a group from outside the hub, through this node's {@link HubContext}; shuts the node down. */
	@RestController
	static class NodeController {

		private final HubContext<ScaleHub> hubContext;

		private final NodeDirectory directory;

		private final ConfigurableApplicationContext context;

		NodeController(HubContext<ScaleHub> hubContext, NodeDirectory directory,
				ConfigurableApplicationContext context) {
			this.hubContext = hubContext;
			this.directory = directory;
			this.context = context;
		}

		@PostMapping("/scale/broadcast")
		Mono<String> broadcast(@RequestParam String group, @RequestParam String message) {
			return this.hubContext.clients().group(group).send("Receive", message)
				.thenReturn(this.directory.localNodeId());
		}

		/** Closes the application context (a graceful shutdown, as on SIGTERM) once this answer is sent. */
		@PostMapping("/scale/shutdown")
		Mono<String> shutdown() {
			Thread closer = new Thread(() -> {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				this.context.close();
			}, "shutdown-" + this.directory.localNodeId());
			closer.start();
			return Mono.just(this.directory.localNodeId());
		}

	}

}
