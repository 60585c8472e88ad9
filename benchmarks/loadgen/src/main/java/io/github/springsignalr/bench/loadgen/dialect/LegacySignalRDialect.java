package io.github.springsignalr.bench.loadgen.dialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.client.HttpClient;

/**
 * Classic ASP.NET SignalR 2 over WebSockets, as the jQuery client speaks it to the benchmark hub on the
 * legacy endpoint ({@code signalr.legacy.enabled=true}, path {@code /signalr}): negotiate with
 * {@code connectionData=[{"name":"benchhub"}]}, the WebSocket at {@code /connect}, then {@code /start}
 * once the init message ({@code "S":1}) arrived. Invocations are {@code {"H","M","A","I"}} (every call has
 * an id; the results of fire-and-forget calls are ignored, that of {@code JoinGroup} awaited); the
 * server's {@code m(t, p)} calls arrive in envelopes {@code {"C":..,"M":[{"H","M","A":[t,p]}]}}, and
 * keep-alives ({@code {}}) are ignored.
 */
public final class LegacySignalRDialect implements Dialect {

	static final String HUB = "benchhub";

	private static final String CONNECTION_DATA = URLEncoder.encode("[{\"name\":\"" + HUB + "\"}]",
			StandardCharsets.UTF_8);

	private final String path;

	/** @param path the legacy endpoint's path, e.g. {@code /signalr} */
	public LegacySignalRDialect(String path) {
		this.path = path;
	}

	@Override
	public String name() {
		return "signalr-legacy";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return http.get()
			.uri(this.path + "/negotiate?clientProtocol=2.1&connectionData=" + CONNECTION_DATA)
			.responseSingle((response, body) -> {
				if (response.status().code() != 200) {
					return Mono.error(new IllegalStateException("negotiate: " + response.status()));
				}
				return body.asString(StandardCharsets.UTF_8);
			})
			.flatMap((json) -> {
				String token = field(json, "ConnectionToken");
				if (token == null) {
					return Mono.error(new IllegalStateException("negotiate answered " + json));
				}
				String query = "transport=webSockets&clientProtocol=2.1&connectionToken="
						+ URLEncoder.encode(token, StandardCharsets.UTF_8) + "&connectionData=" + CONNECTION_DATA;
				return WebSocketSession.connect(http, this.path + "/connect?" + query,
						new LegacySession(sink, http, this.path + "/start?" + query));
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

	/** One classic connection over a WebSocket. */
	private static final class LegacySession extends WebSocketSession {

		private static final byte[] INIT = Bytes.ascii("\"S\":1");

		private static final byte[] ARGUMENTS = Bytes.ascii("\"A\":[");

		private static final byte[] RESULT_ID = Bytes.ascii("{\"I\":\"");

		private static final byte[] ERROR = Bytes.ascii("\"E\":\"");

		private final HttpClient http;

		private final String start;

		private final AtomicLong ids = new AtomicLong();

		private final Map<String, MonoSink<Void>> pending = new ConcurrentHashMap<>();

		private boolean started;

		private byte[] scratch = new byte[256];

		LegacySession(MessageSink sink, HttpClient http, String start) {
			super(sink);
			this.http = http;
			this.start = start;
		}

		@Override
		protected void opened() {
			// the server speaks first: its init message
		}

		@Override
		protected void received(ByteBuf content, boolean text) {
			int length = content.readableBytes();
			this.scratch = Bytes.copy(content, this.scratch);
			byte[] bytes = this.scratch;
			if (length <= 2) {
				return; // keep-alive {}
			}
			if (Bytes.indexOf(bytes, 0, length, RESULT_ID) == 0) {
				int from = RESULT_ID.length;
				int end = Bytes.indexOf(bytes, from, length, (byte) '"');
				MonoSink<Void> done = this.pending.remove(new String(bytes, from, end - from, StandardCharsets.US_ASCII));
				if (done != null) {
					int error = Bytes.indexOf(bytes, end, length, ERROR);
					if (error >= 0) {
						done.error(new IllegalStateException(new String(bytes, error, length - error,
								StandardCharsets.UTF_8)));
					}
					else {
						done.success();
					}
				}
				return;
			}
			if (!this.started) {
				if (Bytes.indexOf(bytes, 0, length, INIT) >= 0) {
					this.started = true;
					this.http.get().uri(this.start).responseSingle((response, body) -> (response.status().code() == 200)
							? body.then() : Mono.error(new IllegalStateException("start: " + response.status())))
						.subscribe(null, this::failed, this::ready);
				}
				return;
			}
			int at = 0;
			while ((at = Bytes.indexOf(bytes, at, length, ARGUMENTS)) >= 0) {
				at += ARGUMENTS.length;
				this.sink.delivered(Bytes.parseLong(bytes, at, length));
			}
		}

		private void invoke(String method, @Nullable MonoSink<Void> done, Object... args) {
			String id = Long.toString(this.ids.incrementAndGet());
			if (done != null) {
				this.pending.put(id, done);
			}
			ByteBuf message = alloc().buffer(96);
			message.writeCharSequence("{\"H\":\"" + HUB + "\",\"M\":\"" + method + "\",\"A\":[", StandardCharsets.US_ASCII);
			for (int i = 0; i < args.length; i++) {
				if (i > 0) {
					message.writeByte(',');
				}
				if (args[i] instanceof String text) {
					JsonHubCodec.writeString(message, text);
				}
				else {
					message.writeCharSequence(Long.toString((Long) args[i]), StandardCharsets.US_ASCII);
				}
			}
			message.writeCharSequence("],\"I\":\"" + id + "\"}", StandardCharsets.US_ASCII);
			send(message, true);
		}

		@Override
		public void echo(long nanos, String payload) {
			invoke("Echo", null, nanos, payload);
		}

		@Override
		public void broadcast(long nanos, String payload) {
			invoke("Broadcast", null, nanos, payload);
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> invoke("JoinGroup", done, group));
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			invoke("SendToGroup", null, group, nanos, payload);
		}
	}
}
