package io.github.springsignalr.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.actuate.SignalREndpoint;
import io.github.springsignalr.webflux.SignalREndpointRegistry;

/**
 * Auto-configuration of the {@code signalr} Actuator endpoint. Like other endpoints it is not exposed
 * over HTTP until {@code management.endpoints.web.exposure.include} names it.
 */
@AutoConfiguration(after = SignalRAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(SignalREndpointRegistry.class)
@ConditionalOnAvailableEndpoint(SignalREndpoint.class)
@EnableConfigurationProperties(SignalREndpointProperties.class)
public final class SignalREndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SignalREndpoint signalREndpoint(SignalREndpointRegistry registry, SignalREndpointProperties properties) {
		return new SignalREndpoint(registry, properties.getShowDetails(), properties.getRoles());
	}
}
