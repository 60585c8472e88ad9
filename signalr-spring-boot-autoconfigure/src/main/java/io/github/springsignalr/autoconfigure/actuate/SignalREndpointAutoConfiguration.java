package io.github.springsignalr.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.autoconfigure.observation.SignalRMetricsAutoConfiguration;
import io.github.springsignalr.actuate.SignalREndpoint;
import io.github.springsignalr.actuate.SignalREndpoint.MessageCounts;
import io.github.springsignalr.observation.SignalRMeters;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * Auto-configuration of the {@code signalr} Actuator endpoint. Like other endpoints it is not exposed
 * over HTTP until {@code management.endpoints.web.exposure.include} names it. When the SignalR meters are
 * recorded, the endpoint shows each hub's message totals from them.
 */
@AutoConfiguration(after = { SignalRAutoConfiguration.class, SignalRMetricsAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(SignalRRouteRegistry.class)
@ConditionalOnAvailableEndpoint(SignalREndpoint.class)
@EnableConfigurationProperties(SignalREndpointProperties.class)
public final class SignalREndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SignalREndpoint signalREndpoint(SignalRRouteRegistry registry, SignalREndpointProperties properties,
			ObjectProvider<MessageCounts> messageCounts) {
		return new SignalREndpoint(registry, properties.getShowDetails(), properties.getRoles(),
				messageCounts.getIfAvailable(() -> MessageCounts.NONE));
	}

	/** The hubs' message totals, from the meters the SignalR layers record. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean({ MeterRegistry.class, SignalRMeters.class })
	static class MessageCountsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MessageCounts signalRMessageCounts(MeterRegistry registry) {
			return new MeterRegistryMessageCounts(registry);
		}
	}
}
