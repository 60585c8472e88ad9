package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * Invokes a method on one or many clients. The message is serialized once and queued for every
 * recipient when {@code send} is called; the returned {@code Mono} completes when it has been handed
 * to the transports (or the backplane) and need not be subscribed to for the send to happen.
 */
public interface ClientProxy {

	/** Calls {@code method} on the clients with the given arguments. */
	Mono<Void> send(String method, @Nullable Object... arguments);

	/**
	 * This proxy as an implementation of a client interface: each call of an interface method sends
	 * that method (by its name, or its {@link HubMethodName}) with its arguments. On a
	 * {@link SingleClientProxy}, a method returning {@code Mono<T>} (other than {@code Mono<Void>})
	 * waits for the client's result.
	 */
	default <T> T as(Class<T> clientInterface) {
		return TypedClientProxies.create(this, clientInterface);
	}
}
