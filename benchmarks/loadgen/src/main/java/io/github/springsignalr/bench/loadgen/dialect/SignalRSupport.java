package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.client.HttpClient;

/** What the SignalR dialects share: negotiate, handshake parsing and pending JoinGroup calls. */
final class SignalRSupport implements HubCodec.Receiver {

	private final io.github.springsignalr.bench.loadgen.Dialect.MessageSink sink;

	private final Map<String, MonoSink<Void>> pending = new ConcurrentHashMap<>();

	private final AtomicInteger ids = new AtomicInteger();

	SignalRSupport(io.github.springsignalr.bench.loadgen.Dialect.MessageSink sink) {
		this.sink = sink;
	}

	/** POSTs {@code path/negotiate?negotiateVersion=1} and returns the connection token. */
	static Mono<String> negotiate(HttpClient http, String path) {
		return http.post()
			.uri(path + "/negotiate?negotiateVersion=1")
			.responseSingle((response, body) -> {
				if (response.status().code() != 200) {
					return Mono.error(new IllegalStateException("negotiate: " + response.status()));
				}
				return body.asString(StandardCharsets.UTF_8);
			})
			.map((json) -> {
				String token = field(json, "connectionToken");
				if (token == null) {
					token = field(json, "connectionId");
				}
				if (token == null) {
					throw new IllegalStateException("negotiate answered " + json);
				}
				return token;
			});
	}

	private static @Nullable String field(String json, String name) {
		String key = "\"" + name + "\":\"";
		int at = json.indexOf(key);
		if (at < 0) {
			return null;
		}
		int start = at + key.length();
		return json.substring(start, json.indexOf('"', start));
	}

	static String handshake(HubCodec codec) {
		return "{\"protocol\":\"" + codec.protocol() + "\",\"version\":1}\u001e";
	}

	/**
	 * Returns the index after the handshake response at the start of {@code bytes[from, to)}, or -1 if it is
	 * incomplete; throws if the server refused the handshake.
	 */
	static int handshakeEnd(byte[] bytes, int from, int to) {
		int end = Bytes.indexOf(bytes, from, to, JsonHubCodec.RS);
		if (end < 0) {
			return -1;
		}
		String response = new String(bytes, from, end - from, StandardCharsets.UTF_8);
		if (response.contains("\"error\"")) {
			throw new IllegalStateException("handshake refused: " + response);
		}
		return end + 1;
	}

	/** Registers a JoinGroup call and returns its invocation id; {@code done} completes with its completion. */
	String join(MonoSink<Void> done) {
		String id = Integer.toString(ids.incrementAndGet());
		pending.put(id, done);
		return id;
	}

	@Override
	public void invocation(long t) {
		sink.delivered(t);
	}

	@Override
	public void completion(String invocationId, @Nullable String error) {
		MonoSink<Void> done = pending.remove(invocationId);
		if (done != null) {
			if (error != null) {
				done.error(new IllegalStateException(error));
			}
			else {
				done.success();
			}
		}
	}

	@Override
	public void close(@Nullable String error) {
		IllegalStateException closed = new IllegalStateException("server closed: " + error);
		pending.values().forEach((done) -> done.error(closed));
		pending.clear();
	}
}
