package io.github.springsignalr.hub;

import io.github.springsignalr.Progress;

/**
 * How a wire protocol with progress messages (the classic ASP.NET SignalR one) reports the progress of
 * an invocation: a {@link io.github.springsignalr.protocol.HubProtocol} that implements it gives the
 * {@link Progress} a hub method's progress parameter receives. With other protocols reports are dropped.
 */
public interface InvocationProgress {

	/** The progress of invocation {@code invocationId} of the caller's connection. */
	Progress<Object> progress(HubConnectionContext context, String invocationId);
}
