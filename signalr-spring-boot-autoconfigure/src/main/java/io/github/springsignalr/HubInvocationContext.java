package io.github.springsignalr;

import java.lang.reflect.Method;
import java.util.List;

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
 */
public record HubInvocationContext(String hubName, Object hub, Method method, String methodName,
		List<@Nullable Object> arguments, HubCallerContext context) {
}
