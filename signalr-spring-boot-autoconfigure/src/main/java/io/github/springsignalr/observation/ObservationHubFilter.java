package io.github.springsignalr.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import reactor.core.publisher.Mono;

import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;

/**
 * A {@link HubFilter} that records a {@code signalr.server.invocation} observation around every hub
 * method invocation, in front of every other filter. The observation is the parent of what the method
 * observes through the Reactor context; with a tracing handler it continues the trace whose
 * {@code traceparent} the client sent in the invocation's headers.
 */
public class ObservationHubFilter implements HubFilter, Ordered {

	private static final DefaultHubInvocationObservationConvention DEFAULT_CONVENTION = new DefaultHubInvocationObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable HubInvocationObservationConvention convention;

	public ObservationHubFilter(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * @param convention replaces the default convention, when not {@code null}
	 */
	public ObservationHubFilter(ObservationRegistry registry, @Nullable HubInvocationObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public Mono<Object> invoke(HubInvocationContext invocation, InvocationChain chain) {
		if (this.registry.isNoop()) {
			return chain.next(invocation);
		}
		return Mono.defer(() -> {
			HubInvocationObservationContext context = new HubInvocationObservationContext(invocation);
			Observation observation = SignalRObservationDocumentation.HUB_INVOCATION
				.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
				.start();
			// stopped before the client's Completion is written
			return chain.next(invocation)
				.doOnSuccess((result) -> observation.stop())
				.doOnError((error) -> {
					observation.error(error);
					observation.stop();
				})
				.doOnCancel(observation::stop)
				.contextWrite((reactor) -> reactor.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	/** First, so that the observation covers the other filters (authorization among them). */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}
}
