package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.client.HttpClient;

/**
 * Socket.IO v4 (Engine.IO 4) over a plain WebSocket, without the polling handshake, against the netty-socketio
 * peer ({@code benchmarks/peers/socketio}).
 * <p>
 * The server opens with {@code 0{"sid":..}}; the client connects the default namespace with {@code 40} and the
 * session is emitted on the server's {@code 40{..}}. Events are {@code 42["echo",{"t":..,"p":".."}]},
 * {@code 42["broadcast",{..}]} and {@code 42["group",{"g":"..","t":..,"p":".."}]}; joining is
 * {@code 42<id>["join","g"]}, complete on the ack {@code 43<id>[]}. The server's pings {@code 2} are answered
 * with {@code 3}. Every {@code 42["m",{"t":..,"p":".."}]} is one delivered message.
 */
public final class SocketIoDialect implements Dialect {

	static final String URI = "/socket.io/?EIO=4&transport=websocket";

	private static final byte[] NAMESPACE_CONNECT = {'4', '0'};

	private static final byte[] PONG = {'3'};

	private static final byte[] ECHO = ascii("42[\"echo\",");

	private static final byte[] BROADCAST = ascii("42[\"broadcast\",");

	private static final byte[] GROUP = ascii("42[\"group\",{\"g\":");

	/** The start of a message event: {@code 42["m",}. */
	private static final byte[] MESSAGE_EVENT = ascii("42[\"m\",");

	@Override
	public String name() {
		return "socketio";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return WebSocketSession.connect(http, URI, new SocketIoSession(sink));
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	/** One Socket.IO connection; the senders are thread-safe, packets arrive on the channel's event loop. */
	static final class SocketIoSession extends WebSocketSession {

		private final Map<Integer, MonoSink<Void>> acks = new ConcurrentHashMap<>();

		private final AtomicInteger ids = new AtomicInteger();

		private volatile SocketIoPayloadCache payloads = SocketIoPayloadCache.EMPTY;

		private volatile SocketIoPayloadCache groups = SocketIoPayloadCache.EMPTY;

		SocketIoSession(MessageSink sink) {
			super(sink);
		}

		@Override
		protected void opened() {
			// the server speaks first (Engine.IO open packet)
		}

		@Override
		protected void received(ByteBuf content, boolean text) {
			int start = content.readerIndex();
			int end = content.writerIndex();
			if (!text || start == end) {
				return;
			}
			byte engine = content.getByte(start);
			if (engine == '4' && end - start > 1) {
				byte socket = content.getByte(start + 1);
				if (socket == '2') {
					if (startsWith(content, start, end, MESSAGE_EVENT)) {
						this.sink.delivered(StompWire.timestamp(content, start + MESSAGE_EVENT.length, end));
					}
				}
				else if (socket == '3') {
					onAck(content, start + 2, end);
				}
				else if (socket == '0') {
					ready();
				}
				else if (socket == '4') {
					fail("Socket.IO connect error: " + content.toString(start, end - start, StandardCharsets.UTF_8));
				}
				else if (socket == '1') {
					fail("Socket.IO namespace disconnected by the server");
				}
			}
			else if (engine == '2') {
				send(alloc().buffer(1).writeBytes(PONG), true);
			}
			else if (engine == '0') {
				send(alloc().buffer(2).writeBytes(NAMESPACE_CONNECT), true);
			}
			else if (engine == '1') {
				fail("Engine.IO closed by the server");
			}
		}

		private void onAck(ByteBuf content, int from, int end) {
			int id = 0;
			int i = from;
			for (; i < end; i++) {
				byte b = content.getByte(i);
				if (b < '0' || b > '9') {
					break;
				}
				id = id * 10 + (b - '0');
			}
			if (i == from) {
				return;
			}
			MonoSink<Void> join = this.acks.remove(id);
			if (join != null) {
				join.success();
			}
		}

		private void fail(String message) {
			IllegalStateException failure = new IllegalStateException(message);
			this.acks.values().forEach((join) -> join.error(failure));
			this.acks.clear();
			failed(failure);
		}

		private static boolean startsWith(ByteBuf content, int start, int end, byte[] prefix) {
			if (end - start < prefix.length) {
				return false;
			}
			for (int i = 0; i < prefix.length; i++) {
				if (content.getByte(start + i) != prefix[i]) {
					return false;
				}
			}
			return true;
		}

		@Override
		public void echo(long nanos, String payload) {
			event(ECHO, nanos, payload);
		}

		@Override
		public void broadcast(long nanos, String payload) {
			event(BROADCAST, nanos, payload);
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> {
				int id = this.ids.incrementAndGet();
				this.acks.put(id, done);
				byte[] name = StompWire.jsonString(group);
				ByteBuf buf = alloc().buffer(name.length + 24);
				buf.writeByte('4').writeByte('2');
				StompWire.writeLong(buf, id);
				buf.writeCharSequence("[\"join\",", StandardCharsets.US_ASCII);
				buf.writeBytes(name).writeByte(']');
				send(buf, true);
			});
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			SocketIoPayloadCache cached = this.groups;
			if (!group.equals(cached.text)) {
				cached = new SocketIoPayloadCache(group, StompWire.jsonString(group));
				this.groups = cached;
			}
			byte[] json = payloadJson(payload);
			ByteBuf buf = alloc().buffer(GROUP.length + cached.json.length + json.length + 32);
			buf.writeBytes(GROUP).writeBytes(cached.json).writeByte(',').writeByte('"').writeByte('t').writeByte('"')
				.writeByte(':');
			StompWire.writeLong(buf, nanos);
			buf.writeBytes(StompWire.P_KEY).writeBytes(json).writeByte('}').writeByte(']');
			send(buf, true);
		}

		private void event(byte[] head, long nanos, String payload) {
			byte[] json = payloadJson(payload);
			ByteBuf buf = alloc().buffer(head.length + json.length + 32);
			buf.writeBytes(head).writeBytes(StompWire.T_KEY);
			StompWire.writeLong(buf, nanos);
			buf.writeBytes(StompWire.P_KEY).writeBytes(json).writeByte('}').writeByte(']');
			send(buf, true);
		}

		private byte[] payloadJson(String payload) {
			SocketIoPayloadCache cached = this.payloads;
			// identity on purpose: the generator reuses one payload string, so it is escaped and encoded once
			if (cached.text != payload) {
				cached = new SocketIoPayloadCache(payload, StompWire.jsonString(payload));
				this.payloads = cached;
			}
			return cached.json;
		}
	}

	/** A string this session sent last, already as a UTF-8 JSON string literal. */
	static final class SocketIoPayloadCache {

		static final SocketIoPayloadCache EMPTY = new SocketIoPayloadCache(null, new byte[0]);

		final @Nullable String text;

		final byte[] json;

		SocketIoPayloadCache(@Nullable String text, byte[] json) {
			this.text = text;
			this.json = json;
		}
	}
}
