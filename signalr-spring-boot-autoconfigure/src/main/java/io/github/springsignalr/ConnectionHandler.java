package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * Handles raw connections on a path, over the same negotiate and transports as hubs but without the
 * hub protocol: ASP.NET Core's connection handler, SignalR 2's persistent connection. Map one with
 * {@link ConnectionMapping}.
 *
 * <p>Calls for one connection never overlap: the next {@link #onReceived} waits for the
 * {@code Mono} of the previous one.
 */
public interface ConnectionHandler {

	/** A connection has its transport and may send; it receives nothing before this completes. */
	default Mono<Void> onConnected(Connection connection) {
		return Mono.empty();
	}

	/** Data arrived from the client, as one chunk of what it sent (a frame, a POST body). */
	Mono<Void> onReceived(Connection connection, byte[] data);

	/** The connection ended; {@code error} says why when it did not end normally. */
	default Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
		return Mono.empty();
	}
}
