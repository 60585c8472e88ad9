package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.client.HttpClient;

/**
 * The raw servers' protocol (server-netty, server-webflux): text frames {@code {"op":..,"g":..,"t":..,"p":..}}
 * out, {@code {"t":..,"p":..}} in, and {@code {"op":"joined"}} confirming the oldest pending join.
 */
public final class RawDialect implements Dialect {

	private static final byte[] T = Bytes.ascii("\"t\":");

	private static final byte[] JOINED = Bytes.ascii("\"joined\"");

	private final String path;

	public RawDialect(String path) {
		this.path = path;
	}

	@Override
	public String name() {
		return "raw";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return WebSocketSession.connect(http, path, new RawSession(sink));
	}

	/** One raw WebSocket connection. */
	private static final class RawSession extends WebSocketSession {

		private final Queue<MonoSink<Void>> joins = new ConcurrentLinkedQueue<>();

		private byte[] scratch = new byte[256];

		RawSession(MessageSink sink) {
			super(sink);
		}

		@Override
		protected void opened() {
			ready();
		}

		@Override
		protected void received(ByteBuf content, boolean text) {
			int length = content.readableBytes();
			scratch = Bytes.copy(content, scratch);
			int t = Bytes.indexOf(scratch, 0, length, T);
			if (t >= 0) {
				sink.delivered(Bytes.parseLong(scratch, t + T.length, length));
			}
			else if (Bytes.indexOf(scratch, 0, length, JOINED) >= 0) {
				MonoSink<Void> done = joins.poll();
				if (done != null) {
					done.success();
				}
			}
		}

		private void sendText(String json) {
			ByteBuf message = alloc().buffer(json.length());
			message.writeCharSequence(json, StandardCharsets.US_ASCII);
			send(message, true);
		}

		@Override
		public void echo(long nanos, String payload) {
			sendText("{\"op\":\"echo\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}

		@Override
		public void broadcast(long nanos, String payload) {
			sendText("{\"op\":\"broadcast\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> {
				joins.add(done);
				sendText("{\"op\":\"join\",\"g\":\"" + group + "\"}");
			});
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			sendText("{\"op\":\"group\",\"g\":\"" + group + "\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}
	}
}
