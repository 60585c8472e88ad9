package io.github.springsignalr.autoconfigure.legacy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.hub.AdditionalHubProtocols;
import io.github.springsignalr.legacy.ConnectionTokens;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyHubs;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * Auto-configuration of the classic ASP.NET SignalR 2 endpoint: with {@code signalr.legacy.enabled=true}
 * every hub is also served at {@code signalr.legacy.path} ({@code /signalr}) to the jQuery client,
 * signalr4j and the Python clients, on the same lifetime managers, groups and filters; and every
 * {@code @ConnectionMapping} handler at its own path as a classic persistent connection
 * ({@code signalr.legacy.persistent-connections}). On WebFlux and on Spring MVC alike: the connections
 * are the stack's neutral part, each stack's adapter serves their requests.
 */
@AutoConfiguration(after = SignalRAutoConfiguration.class)
@ConditionalOnClass(Mono.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty("signalr.legacy.enabled")
@ConditionalOnBean(SignalRRouteRegistry.class)
@EnableConfigurationProperties(SignalRLegacyProperties.class)
@Import({ SignalRLegacyWebFluxConfiguration.class, SignalRLegacyWebMvcConfiguration.class })
public final class SignalRLegacyAutoConfiguration {

	/**
	 * The classic encoding of each hub, which the Redis backplane serializes messages to other nodes in
	 * too, so that every node writes them to its own legacy connections.
	 */
	@Bean
	AdditionalHubProtocols signalRLegacyHubProtocols(ObjectProvider<LegacyConnections> connections) {
		return (hubName) -> {
			LegacyHub hub = connections.getObject().hubs().find(hubName);
			return (hub != null) ? List.of(hub.protocol()) : List.of();
		};
	}

	/**
	 * The classic connections of the hub endpoint (persistent connection endpoints derive theirs from it),
	 * ended by the shutdown lifecycle rather than as a destroy method.
	 */
	@Bean(destroyMethod = "")
	LegacyConnections signalRLegacyConnections(SignalRLegacyProperties properties, SignalRRouteRegistry registry,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<NodeDirectory> nodes,
			ObjectProvider<SignalRMetrics> metrics) {
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		LegacyOptions options = new LegacyOptions(properties.getKeepAlive(), properties.getDisconnectTimeout(),
				properties.getConnectionTimeout(), properties.getTransportConnectTimeout(), properties.getLongPollDelay(),
				properties.getMessageBufferSize(), LegacyOptions.defaults().messageBufferBytes(), properties.isJsonp());
		String secret = properties.getTokenSecret();
		// with the Redis backplane's forwarding, tokens start with this node's id: requests about a connection
		// that land on another node are forwarded to its owner
		NodeDirectory node = nodes.getIfAvailable();
		String nodeId = (node != null) ? node.localNodeId() : null;
		ConnectionTokens tokens = (secret != null && !secret.isEmpty())
				? new ConnectionTokens(secret.getBytes(StandardCharsets.UTF_8), nodeId) : ConnectionTokens.random(nodeId);
		LegacyConnections connections = new LegacyConnections(LegacyHubs.of(registry, mapper), mapper, options, tokens);
		metrics.ifAvailable(connections::setMetrics);
		return connections;
	}
}
