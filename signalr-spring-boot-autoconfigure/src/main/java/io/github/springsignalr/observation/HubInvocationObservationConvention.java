package io.github.springsignalr.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@code signalr.server.invocation} observation and its key values. Declare a bean of this
 * type to replace {@link DefaultHubInvocationObservationConvention}, or extend that one to add keys.
 */
public interface HubInvocationObservationConvention extends ObservationConvention<HubInvocationObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof HubInvocationObservationContext;
	}
}
