package io.github.springsignalr.autoconfigure.observation;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.springsignalr.autoconfigure.redis.SignalRRedisAutoConfiguration;
import io.github.springsignalr.observation.SignalRMeters;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.redis.RedisBackplane;

/**
 * Auto-configuration of the SignalR meters when Micrometer is present and the application has a
 * {@link MeterRegistry}: the connection, hub and backplane layers report to {@link SignalRMeters},
 * which Spring Boot binds to the registry.
 */
@AutoConfiguration(after = SignalRRedisAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class SignalRMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SignalRMetrics.class)
	SignalRMeters signalRMeters() {
		return new SignalRMeters();
	}

	/** The Redis backplane reports its publish latency and received messages. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.lettuce.core.RedisClient")
	@ConditionalOnBean(RedisBackplane.class)
	static class BackplaneMetricsConfiguration {

		@Bean
		SmartInitializingSingleton signalRBackplaneMetricsBinder(ObjectProvider<RedisBackplane> backplanes,
				SignalRMetrics metrics) {
			return () -> backplanes.forEach((backplane) -> backplane.setMetrics(metrics));
		}
	}
}
