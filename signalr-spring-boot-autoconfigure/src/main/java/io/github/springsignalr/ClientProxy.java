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
}
