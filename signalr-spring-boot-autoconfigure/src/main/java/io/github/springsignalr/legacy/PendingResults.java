package io.github.springsignalr.legacy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invocations of one classic connection waiting for their result, by id: each result goes to the
 * request that carried its invocation (a WebSocket frame's socket, a {@code /send} response).
 */
final class PendingResults {

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/** Waits for the result of invocation {@code id}, sent for hub {@code hub} (as the client wrote it). */
	Mono<String> register(String id, String hub) {
		Sinks.One<String> result = Sinks.one();
		this.pending.put(id, new Pending(hub, result));
		return result.asMono();
	}

	/** Gives a result to its waiting request; {@code false} when none waits for it. */
	boolean complete(JsonMapper mapper, String json) {
		Pending invocation = this.pending.remove(mapper.readTree(json).get("I").asString());
		return invocation != null && invocation.result.tryEmitValue(json).isSuccess();
	}

	/** The hub name an invocation was sent with, else {@code hubName}. */
	String hubAsSent(String id, String hubName) {
		Pending invocation = this.pending.get(id);
		return (invocation != null) ? invocation.hub : hubName;
	}

	/** The connection ended: every waiting request completes without a result. */
	void clear() {
		this.pending.values().forEach((invocation) -> invocation.result.tryEmitEmpty());
		this.pending.clear();
	}

	private record Pending(String hub, Sinks.One<String> result) {
	}
}
