package io.github.springsignalr.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.observation.HubInvocationObservationConvention;
import io.github.springsignalr.observation.ObservationHubFilter;

/**
 * Auto-configuration of the {@code signalr.server.invocation} observation when the application has an
 * {@link ObservationRegistry}: an {@link ObservationHubFilter} in front of every hub method, with the
 * application's {@link HubInvocationObservationConvention} if it declares one.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class SignalRObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationHubFilter signalRObservationHubFilter(ObservationRegistry registry,
			ObjectProvider<HubInvocationObservationConvention> convention) {
		return new ObservationHubFilter(registry, convention.getIfAvailable());
	}
}
