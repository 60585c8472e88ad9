package io.github.springsignalr.bench.loadgen;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** A server's wire protocol as the load generator speaks it over one connection. */
public interface Dialect {

	/** Short name used in the report, e.g. "signalr-json". */
	String name();

	/**
	 * Opens one session: any HTTP preamble with {@code http} (already configured with host, port and local bind
	 * address), the WebSocket, and the protocol's own handshake; emits the session once it can send. Every
	 * application message received must be reported to {@code sink}.
	 */
	Mono<Session> open(HttpClient http, MessageSink sink);

	/** Receives delivered messages. */
	interface MessageSink {

		/** A message stamped with the sender's System.nanoTime() {@code sentNanos} arrived. */
		void delivered(long sentNanos);
	}

	/** One open session; methods never block and may be called from any thread. */
	interface Session {

		void echo(long nanos, String payload);

		void broadcast(long nanos, String payload);

		/** Completes once the server confirmed the membership. */
		Mono<Void> join(String group);

		void sendToGroup(String group, long nanos, String payload);

		/** Stops (or resumes) reading from the socket: a slow consumer. */
		void pauseReading(boolean paused);

		Mono<Void> close();
	}
}
