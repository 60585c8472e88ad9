package io.github.springsignalr.observation;

import io.micrometer.observation.transport.ReceiverContext;

import io.github.springsignalr.HubInvocationContext;

/**
 * The context of a {@code signalr.server.invocation} observation: the invocation as a
 * {@link io.github.springsignalr.HubFilter} sees it, and what it ended with. As a
 * {@link ReceiverContext} it lets a tracing handler continue the trace of a client that sent
 * {@code traceparent} (and {@code tracestate}, {@code baggage}) in the invocation's headers.
 */
public class HubInvocationObservationContext extends ReceiverContext<HubInvocationContext> {

	private final HubInvocationContext invocation;

	public HubInvocationObservationContext(HubInvocationContext invocation) {
		super((carrier, key) -> carrier.headers().get(key));
		this.invocation = invocation;
		setCarrier(invocation);
		setRemoteServiceName("signalr-client");
	}

	/** The invocation observed. */
	public HubInvocationContext getInvocation() {
		return this.invocation;
	}
}
