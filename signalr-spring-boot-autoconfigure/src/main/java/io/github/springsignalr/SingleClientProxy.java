package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * A {@link ClientProxy} for exactly one connection, which can also ask the client for a result (a
 * "client result": the client's handler returns a value).
 */
public interface SingleClientProxy extends ClientProxy {

	/**
	 * Invokes {@code method} on the client and waits for its result. A hub method may wait for its own
	 * caller's result: the caller's invocation slot is lent out meanwhile, so nothing deadlocks.
	 * @return the client's result bound to {@code resultType} (empty for {@code null}); fails with a
	 * {@link HubException} carrying the client's error, when the connection does not exist or
	 * disconnects, or when {@code signalr.hub.client-result-timeout} passes
	 */
	<T> Mono<T> invoke(String method, Class<T> resultType, @Nullable Object... arguments);
}
