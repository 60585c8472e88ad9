package io.github.springsignalr.legacy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invocations of one classic connection waiting for their result, by id: each result goes to the
 * request that carried its invocation (a WebSocket frame's socket, a {@code /send} response).
 */
final class PendingResults {

	private static final String ID_START = "{\"I\":\"";

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/**
	 * Waits for the result of invocation {@code id}, sent for hub {@code hub} (as the client wrote it)
	 * with caller state {@code state} (JSON, if any).
	 */
	Mono<String> register(String id, String hub, LegacyCallerState state) {
		Sinks.One<String> result = Sinks.one();
		this.pending.put(id, new Pending(hub, result, state));
		return result.asMono();
	}

	/** The caller state of a waiting invocation. */
	@Nullable LegacyCallerState state(String id) {
		Pending invocation = this.pending.get(id);
		return (invocation != null) ? invocation.state : null;
	}

	/**
	 * Gives a result to its waiting request, with the caller state the method changed; {@code false}
	 * when none waits for it.
	 */
	boolean complete(JsonMapper mapper, String json) {
		Pending invocation = this.pending.remove(invocationId(mapper, json));
		if (invocation == null) {
			return false;
		}
		String changes = invocation.state.changes();
		String result = (changes != null) ? json.substring(0, json.length() - 1) + ",\"S\":" + changes + "}" : json;
		return invocation.result.tryEmitValue(result).isSuccess();
	}

	/**
	 * The id of a result {@code {"I":"<id>",..}}: read as it stands when it has no escapes (ids are
	 * mostly the client's counter), else through the mapper.
	 */
	private static String invocationId(JsonMapper mapper, String json) {
		int start = ID_START.length();
		int end = json.startsWith(ID_START) ? json.indexOf('"', start) : -1;
		if (end < 0 || json.lastIndexOf('\\', end) >= start) {
			return mapper.readTree(json).get("I").asString();
		}
		return json.substring(start, end);
	}

	/** Whether invocation {@code id} waits for its result. */
	boolean isPending(String id) {
		return this.pending.containsKey(id);
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

	private record Pending(String hub, Sinks.One<String> result, LegacyCallerState state) {
	}
}
