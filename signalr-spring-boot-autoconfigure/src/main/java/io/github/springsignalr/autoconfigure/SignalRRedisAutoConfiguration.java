package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
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
import org.springframework.context.annotation.Conditional;

import io.github.springsignalr.lifetime.HubLifetimeManagerFactory;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.redis.RedisBackplane;
import io.github.springsignalr.redis.RedisHubLifetimeManagerFactory;

/**
 * Auto-configuration of the Redis backplane, enabled by {@code signalr.redis.enabled=true} or
 * {@code signalr.backplane=redis}: every hub gets a
 * {@link io.github.springsignalr.redis.RedisHubLifetimeManager}, so messages reach the connections of
 * every node. It connects with Spring Boot's Redis connection details and client resources when
 * {@code spring-boot-data-redis} provides them, else with {@code signalr.redis.url}.
 */
@AutoConfiguration(before = SignalRAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisClient.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Conditional(SignalRRedisAutoConfiguration.OnRedisBackplaneCondition.class)
@EnableConfigurationProperties({ SignalRRedisProperties.class, SignalRProperties.class })
public final class SignalRRedisAutoConfiguration {

	/** How long a hub may take to subscribe its channels at startup. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisBackplane signalRRedisBackplane(SignalRRedisProperties properties, ObjectProvider<ClientResources> resources,
			ListableBeanFactory beanFactory) {
		AbstractRedisClient client = RedisBackplaneClients.create(properties, resources.getIfUnique(), beanFactory);
		try {
			return RedisBackplane.connect(client, properties.isShardedPubsub(), true);
		}
		catch (RuntimeException ex) {
			client.shutdown();
			throw ex;
		}
	}

	/** Replaces the in-memory default of {@link SignalRAutoConfiguration}, which backs off. */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(HubLifetimeManagerFactory.class)
	RedisHubLifetimeManagerFactory redisHubLifetimeManagerFactory(RedisBackplane backplane,
			SignalRRedisProperties properties, SignalRProperties signalRProperties, List<HubProtocol> protocols) {
		return new RedisHubLifetimeManagerFactory(backplane, properties.getChannelPrefix(), protocols,
				properties.getAckTimeout(), signalRProperties.getHub().getClientResultTimeout(), STARTUP_TIMEOUT);
	}

	/** {@code signalr.redis.enabled=true} or {@code signalr.backplane=redis}. */
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
