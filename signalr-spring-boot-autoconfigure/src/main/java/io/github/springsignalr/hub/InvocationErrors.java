package io.github.springsignalr.hub;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.protocol.HubMessage;

/**
 * How a wire protocol tells a client that its invocation failed, for a {@link io.github.springsignalr.protocol.HubProtocol}
 * whose clients expect other error texts than ASP.NET Core's (the classic ASP.NET SignalR one, for
 * instance): a protocol that implements it turns each failure into the Completion it writes. Protocols
 * that do not get the ASP.NET Core texts the dispatcher gives.
 */
public interface InvocationErrors {

	/**
	 * The Completion that tells the client its invocation failed.
	 * @param context the caller's connection
	 * @param invocationId the id the client gave the invocation
	 * @param target the method name as the client sent it
	 * @param cause what failed, or {@code null} when the invocation never ran (no such method)
	 * @param message the ASP.NET Core text of the failure
	 */
	HubMessage.Completion completion(HubConnectionContext context, String invocationId, String target,
			@Nullable Throwable cause, String message);
}
