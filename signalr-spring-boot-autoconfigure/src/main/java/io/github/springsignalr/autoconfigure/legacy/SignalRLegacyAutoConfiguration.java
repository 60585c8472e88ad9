package io.github.springsignalr.autoconfigure.legacy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.DispatcherHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.hub.AdditionalHubProtocols;
import io.github.springsignalr.legacy.ConnectionTokens;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.legacy.LegacyHubs;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.webflux.LegacyHandlerMapping;
import io.github.springsignalr.webflux.LegacyRequestHandler;
import io.github.springsignalr.webflux.RouteAuthorizer;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * Auto-configuration of the classic ASP.NET SignalR 2 endpoint: with {@code signalr.legacy.enabled=true}
 * every hub is also served at {@code signalr.legacy.path} ({@code /signalr}) to the jQuery client,
 * signalr4j and the Python clients, on the same lifetime managers, groups and filters; and every
 * {@code @ConnectionMapping} handler at its own path as a classic persistent connection
 * ({@code signalr.legacy.persistent-connections}).
 */
@AutoConfiguration(after = SignalRAutoConfiguration.class)
@ConditionalOnClass(DispatcherHandler.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnBooleanProperty("signalr.legacy.enabled")
@EnableConfigurationProperties(SignalRLegacyProperties.class)
public final class SignalRLegacyAutoConfiguration {

	@Bean
	SignalRLegacyShutdownLifecycle signalRLegacyShutdownLifecycle(LegacyHandlerMapping mapping, Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		return new SignalRLegacyShutdownLifecycle(() -> Flux.concat(Mono.just(mapping.requestHandler()),
				Flux.fromIterable(List.copyOf(mapping.persistentHandlers())))
			.flatMap((handler) -> handler.connections().shutdown())
			.then(), timeout);
	}

	/**
	 * The classic encoding of each hub, which the Redis backplane serializes messages to other nodes in
	 * too, so that every node writes them to its own legacy connections.
	 */
	@Bean
	AdditionalHubProtocols signalRLegacyHubProtocols(ObjectProvider<LegacyHandlerMapping> mapping) {
		return (hubName) -> {
			LegacyHub hub = mapping.getObject().requestHandler().connections().hubs().find(hubName);
			return (hub != null) ? List.of(hub.protocol()) : List.of();
		};
	}

	@Bean
	LegacyHandlerMapping signalRLegacyHandlerMapping(SignalRLegacyProperties properties,
			SignalRRouteRegistry registry, ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<RouteAuthorizer> authorizer,
			SignalRProperties signalRProperties, ObjectProvider<NodeDirectory> nodes,
			ObjectProvider<SignalRMetrics> metrics) {
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		LegacyOptions options = new LegacyOptions(properties.getKeepAlive(), properties.getDisconnectTimeout(),
				properties.getConnectionTimeout(), properties.getTransportConnectTimeout(), properties.getLongPollDelay(),
				properties.getMessageBufferSize(), LegacyOptions.defaults().messageBufferBytes(), properties.isJsonp());
		LegacyHubs hubs = new LegacyHubs(() -> LegacyHandlerMapping.hubs(registry, mapper));
		String secret = properties.getTokenSecret();
		// with the Redis backplane's forwarding, tokens start with this node's id: requests about a connection
		// that land on another node are forwarded to its owner
		NodeDirectory node = nodes.getIfAvailable();
		String nodeId = (node != null) ? node.localNodeId() : null;
		ConnectionTokens tokens = (secret != null && !secret.isEmpty())
				? new ConnectionTokens(secret.getBytes(StandardCharsets.UTF_8), nodeId) : ConnectionTokens.random(nodeId);
		LegacyConnections connections = new LegacyConnections(hubs, mapper, options, tokens);
		metrics.ifAvailable(connections::setMetrics);
		LegacyRequestHandler handler = new LegacyRequestHandler(connections);
		authorizer.ifAvailable((routes) -> handler.setAuthorizer(routes, registry));
		LegacyHandlerMapping mapping = new LegacyHandlerMapping(properties.getPath(), handler);
		if (properties.isPersistentConnections()) {
			mapping.setPersistentConnections(registry, (route) -> {
				LegacyConnections classic = LegacyConnections.persistent(route, mapper, options, tokens);
				metrics.ifAvailable(classic::setMetrics);
				LegacyRequestHandler persistent = new LegacyRequestHandler(classic);
				authorizer.ifAvailable(persistent::setRouteAuthorizer);
				return persistent;
			});
		}
		// the same origins as the hubs' ASP.NET Core routes
		CorsConfiguration cors = signalRProperties.getCors().toCorsConfiguration();
		if (cors != null) {
			mapping.setCorsConfigurationSource((exchange) -> cors);
		}
		return mapping;
	}
}
