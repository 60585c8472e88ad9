package io.github.springsignalr.autoconfigure.actuate;

import io.lettuce.core.RedisClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.autoconfigure.redis.SignalRRedisAutoConfiguration;
import io.github.springsignalr.actuate.SignalRRedisHealthIndicator;
import io.github.springsignalr.redis.RedisBackplane;

/**
 * Auto-configuration of the health indicator of the Redis backplane, reported as
 * {@code signalrRedisBackplane}; {@code management.health.signalr.enabled=false} turns it off.
 */
@AutoConfiguration(after = SignalRRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisClient.class, ReactiveHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RedisBackplane.class)
@ConditionalOnEnabledHealthIndicator("signalr")
public final class SignalRHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "signalrRedisBackplaneHealthIndicator")
	SignalRRedisHealthIndicator signalrRedisBackplaneHealthIndicator(RedisBackplane backplane) {
		return new SignalRRedisHealthIndicator(backplane);
	}
}
