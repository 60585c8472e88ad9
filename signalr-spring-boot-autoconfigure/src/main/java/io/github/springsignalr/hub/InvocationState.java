package io.github.springsignalr.hub;

import io.github.springsignalr.CallerState;

/**
 * How a wire protocol with caller state (the classic ASP.NET SignalR one) gives a hub method the state
 * the client sent with an invocation: a {@link io.github.springsignalr.protocol.HubProtocol} that
 * implements it gives the {@link CallerState} a hub method's state parameter receives. With other
 * protocols the state is empty and changes are dropped.
 */
public interface InvocationState {

	/** The caller state of invocation {@code invocationId} of the caller's connection. */
	CallerState callerState(HubConnectionContext context, String invocationId);
}
