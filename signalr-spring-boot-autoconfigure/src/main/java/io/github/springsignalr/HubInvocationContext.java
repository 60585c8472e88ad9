package io.github.springsignalr;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One invocation of a hub method, as a {@link HubFilter} sees it.
 * @param hubName name of the hub
 * @param hub the hub bean
 * @param method the Java method invoked
 * @param methodName the name the client invoked it by
 * @param arguments the values of the parameters a client supplies, in order: arguments bound from its
 * message, and a {@code Flux} for each client-to-server stream; a filter may pass on different ones
 * @param context the caller
 * @param invocationId the id the client gave the invocation; {@code null} when it expects no result
 * @param headers the headers the client sent with the invocation (such as {@code traceparent}); empty
 * when it sent none
 */
public record HubInvocationContext(String hubName, Object hub, Method method, String methodName,
		List<@Nullable Object> arguments, HubCallerContext context, @Nullable String invocationId,
		Map<String, String> headers) {

	/** An invocation without id or headers. */
	public HubInvocationContext(String hubName, Object hub, Method method, String methodName,
			List<@Nullable Object> arguments, HubCallerContext context) {
		this(hubName, hub, method, methodName, arguments, context, null, Map.of());
	}
}
