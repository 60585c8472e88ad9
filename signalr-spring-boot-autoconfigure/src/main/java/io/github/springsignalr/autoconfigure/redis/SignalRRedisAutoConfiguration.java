package io.github.springsignalr.autoconfigure.redis;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import io.lettuce.core.AbstractRedisClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.webmvc.RequestForwardingServletFilter;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.hub.AdditionalHubProtocols;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.redis.RedisBackplane;
import io.github.springsignalr.redis.RedisHubLifetimeManagerFactory;
import io.github.springsignalr.redis.RedisNodeDirectory;
import io.github.springsignalr.webflux.LegacyHandlerMapping;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * Auto-configuration of the Redis backplane, enabled by {@code signalr.backplane=redis} (or the deprecated
 * {@code signalr.redis.enabled=true}, which logs a warning): every hub gets a
 * {@link io.github.springsignalr.redis.RedisHubLifetimeManager}, so messages reach the connections of
 * every node. It connects with Spring Boot's Redis connection details and client resources when
 * {@code spring-boot-data-redis} provides them, else with {@code signalr.redis.url}.
 *
 * <p>Unless {@code signalr.redis.forwarding=false}, the nodes also forward transport requests to the
 * node owning their connection ({@link RequestForwardingWebFilter}): each node registers its id and
 * advertised base URL ({@code signalr.redis.node-url}, by default from the web server's port once it
 * started) in a {@link RedisNodeDirectory}, and its connection tokens start with its id (those of the
 * classic ASP.NET SignalR 2 endpoint too, whose requests about a connection are forwarded alike).
 * WebFlux nodes forward with {@link RequestForwardingWebFilter}, servlet (Spring MVC) nodes with
 * {@link RequestForwardingServletFilter}, to each other alike.
 *
 * <p>A node starts when Redis cannot be reached: the backplane keeps connecting in the background
 * ({@link RedisBackplane#start}), its health indicator is down until it has connected, and then it
 * subscribes the channels of every hub and registers the node. A misconfiguration (an invalid
 * {@code signalr.redis.url}, a password Redis refuses) still fails at startup.
 */
@AutoConfiguration(before = SignalRAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisClient.class)
@ConditionalOnWebApplication
@Conditional(SignalRRedisAutoConfiguration.OnRedisBackplaneCondition.class)
@EnableConfigurationProperties({ SignalRRedisProperties.class, SignalRProperties.class })
public final class SignalRRedisAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SignalRRedisAutoConfiguration.class);

	/** How long a hub may take to subscribe its channels at startup. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@SuppressWarnings("deprecation")
	RedisBackplane signalRRedisBackplane(SignalRRedisProperties properties, ObjectProvider<ClientResources> resources,
			ListableBeanFactory beanFactory, SignalRProperties signalRProperties) {
		if (properties.isEnabled() && signalRProperties.getBackplane() != SignalRProperties.Backplane.REDIS) {
			logger.warn("signalr.redis.enabled is deprecated: set signalr.backplane=redis instead, the one switch of "
					+ "the backplane.");
		}
		AbstractRedisClient client = RedisBackplaneClients.create(properties, resources.getIfUnique(), beanFactory);
		try {
			// a node starts while Redis is away, and joins when it comes
			return RedisBackplane.start(client, properties.isShardedPubsub(), true);
		}
		catch (RuntimeException ex) {
			client.shutdown();
			throw ex;
		}
	}

	/** A node started without Redis stays not ready for traffic until its backplane has joined. */
	@Bean(destroyMethod = "close")
	RedisBackplaneReadiness signalRRedisBackplaneReadiness(RedisBackplane backplane,
			ApplicationEventPublisher publisher) {
		return new RedisBackplaneReadiness(backplane, publisher);
	}

	/** Replaces the in-memory default of {@link SignalRAutoConfiguration}, which backs off. */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(HubLifetimeManagerFactory.class)
	RedisHubLifetimeManagerFactory redisHubLifetimeManagerFactory(RedisBackplane backplane,
			SignalRRedisProperties properties, SignalRProperties signalRProperties, List<HubProtocol> protocols,
			ObjectProvider<AdditionalHubProtocols> additionalProtocols) {
		RedisHubLifetimeManagerFactory factory = new RedisHubLifetimeManagerFactory(backplane,
				properties.getChannelPrefix(), protocols, properties.getAckTimeout(),
				signalRProperties.getHub().getClientResultTimeout(), STARTUP_TIMEOUT);
		// the legacy endpoint's encodings, looked up at a hub's first message to other nodes
		factory.setAdditionalProtocols((hubName) -> {
			AdditionalHubProtocols additional = additionalProtocols.getIfAvailable();
			return (additional != null) ? additional.forHub(hubName) : List.of();
		});
		return factory;
	}

	/** Forwarding of transport requests to the node owning their connection: no sticky sessions. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "signalr.redis.forwarding", havingValue = "true", matchIfMissing = true)
	static class ForwardingConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		RedisNodeDirectory signalRNodeDirectory(RedisBackplane backplane, SignalRRedisProperties properties,
				ConnectionManager connections) {
			RedisNodeDirectory directory = new RedisNodeDirectory(backplane, properties.getChannelPrefix(),
					properties.getNodeRegistrationTtl());
			connections.setTokenPrefix(directory.localNodeId() + ".");
			return directory;
		}

		@Bean
		NodeUrlRegistration signalRNodeUrlRegistration(RedisNodeDirectory directory,
				SignalRRedisProperties properties, Environment environment) {
			return new NodeUrlRegistration(directory, properties, environment);
		}

		/** WebFlux nodes. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class ReactiveForwardingConfiguration {

			@Bean(destroyMethod = "close")
			@ConditionalOnMissingBean
			RequestForwardingWebFilter signalRRequestForwardingWebFilter(RedisNodeDirectory directory,
					SignalRRouteRegistry registry, SignalRProperties properties,
					ObjectProvider<LegacyHandlerMapping> legacy) {
				LegacyHandlerMapping legacyMapping = legacy.getIfAvailable();
				Predicate<String> transportPath = (legacyMapping != null)
						? (path) -> registry.matches(path) || legacyMapping.isConnectionPath(path) : registry::matches;
				return new RequestForwardingWebFilter(directory, transportPath,
						(int) properties.getWebsocket().getMaxFrameSize().toBytes());
			}

		}

		/** Servlet (Spring MVC) nodes. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		@ConditionalOnClass(name = { "jakarta.servlet.Filter", "jakarta.websocket.server.ServerContainer",
				"org.springframework.web.servlet.DispatcherServlet" })
		static class ServletForwardingConfiguration {

			@Bean(destroyMethod = "close")
			@ConditionalOnMissingBean
			RequestForwardingServletFilter signalRRequestForwardingServletFilter(RedisNodeDirectory directory,
					SignalRRouteRegistry registry) {
				return new RequestForwardingServletFilter(directory, registry::matches);
			}

		}

	}

	/** Registers the node's advertised URL once the (main) web server listens. */
	static final class NodeUrlRegistration implements ApplicationListener<WebServerInitializedEvent> {

		private final RedisNodeDirectory directory;

		private final SignalRRedisProperties properties;

		private final Environment environment;

		NodeUrlRegistration(RedisNodeDirectory directory, SignalRRedisProperties properties, Environment environment) {
			this.directory = directory;
			this.properties = properties;
			this.environment = environment;
		}

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			if (event.getApplicationContext().getServerNamespace() != null) {
				// a management server on its own port
				return;
			}
			this.directory.register(url(event.getWebServer().getPort()));
		}

		URI url(int port) {
			String configured = this.properties.getNodeUrl();
			if (StringUtils.hasText(configured)) {
				return URI.create(configured.endsWith("/") ? configured.substring(0, configured.length() - 1)
						: configured);
			}
			boolean ssl = this.environment.getProperty("server.ssl.enabled", Boolean.class, false);
			String host = this.environment.getProperty("server.address");
			if (!StringUtils.hasText(host) || "0.0.0.0".equals(host) || "::".equals(host)) {
				try {
					host = InetAddress.getLocalHost().getHostAddress();
				}
				catch (UnknownHostException ex) {
					host = "127.0.0.1";
				}
			}
			if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
				host = "[" + host + "]";
			}
			return URI.create((ssl ? "https" : "http") + "://" + host + ":" + port);
		}

	}

	/** {@code signalr.backplane=redis} or the deprecated {@code signalr.redis.enabled=true}. */
	static final class OnRedisBackplaneCondition extends AnyNestedCondition {

		OnRedisBackplaneCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty(name = "signalr.redis.enabled", havingValue = "true")
		static final class Enabled {

		}

		@ConditionalOnProperty(name = "signalr.backplane", havingValue = "redis")
		static final class Selected {

		}

	}

}
