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
 * STOMP 1.2 over a plain WebSocket against the Spring simple-broker peer ({@code benchmarks/peers/stomp}).
 * <p>
 * CONNECT with {@code heart-beat:0,0}, then SUBSCRIBE (each with a receipt) to {@code /user/queue/m} (echo
 * replies, the session's own queue) and {@code /topic/all} (broadcasts); the session is emitted once both are
 * confirmed. Echo, broadcast and group sends are SEND frames to {@code /app/echo}, {@code /app/broadcast} and
 * {@code /app/group.<g>} with the JSON body {@code {"t":..,"p":".."}}; joining group g is a SUBSCRIBE to
 * {@code /topic/group.<g>} that completes on its RECEIPT. Every MESSAGE frame is one delivered message; its
 * timestamp is read straight from the frame's bytes.
 */
public final class StompDialect implements Dialect {

	static final String PATH = "/stomp";

	private static final byte[] CONNECT = frame("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n");

	private static final byte[] SEND_ECHO = ascii("SEND\ndestination:/app/echo\ncontent-type:application/json\n\n");

	private static final byte[] SEND_BROADCAST =
			ascii("SEND\ndestination:/app/broadcast\ncontent-type:application/json\n\n");

	@Override
	public String name() {
		return "stomp";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return WebSocketSession.connect(http, PATH, new StompSession(sink));
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] frame(String s) {
		byte[] head = ascii(s);
		byte[] framed = new byte[head.length + 1];
		System.arraycopy(head, 0, framed, 0, head.length);
		return framed;
	}

	/** One STOMP connection; the senders are thread-safe, frames arrive on the channel's event loop. */
	static final class StompSession extends WebSocketSession {

		private final Map<String, MonoSink<Void>> receipts = new ConcurrentHashMap<>();

		private final AtomicInteger ids = new AtomicInteger();

		private volatile StompPayloadCache payloads = StompPayloadCache.EMPTY;

		private volatile StompGroupCache groups = StompGroupCache.EMPTY;

		private int confirmedInitial;

		StompSession(MessageSink sink) {
			super(sink);
		}

		@Override
		protected void opened() {
			send(alloc().buffer(CONNECT.length).writeBytes(CONNECT), true);
		}

		@Override
		protected void received(ByteBuf content, boolean text) {
			int start = content.readerIndex();
			int end = content.writerIndex();
			if (start == end) {
				return;
			}
			switch (content.getByte(start)) {
				case 'M':
					this.sink.delivered(StompWire.timestamp(content, StompWire.bodyStart(content, start, end), end));
					break;
				case 'R':
					onReceipt(StompWire.header(content, start, end, "receipt-id:"));
					break;
				case 'C':
					subscribe("/user/queue/m", "i0");
					subscribe("/topic/all", "i1");
					break;
				case 'E':
					String error = content.toString(start, end - start, StandardCharsets.UTF_8).trim();
					IllegalStateException failure = new IllegalStateException("STOMP ERROR frame: " + error);
					this.receipts.values().forEach((join) -> join.error(failure));
					this.receipts.clear();
					failed(failure);
					break;
				default:
					break;
			}
		}

		private void onReceipt(@Nullable String id) {
			if (id == null) {
				return;
			}
			if (id.equals("i0") || id.equals("i1")) {
				if (++this.confirmedInitial == 2) {
					ready();
				}
				return;
			}
			MonoSink<Void> join = this.receipts.remove(id);
			if (join != null) {
				join.success();
			}
		}

		private void subscribe(String destination, String receipt) {
			String subscribe = "SUBSCRIBE\nid:s" + this.ids.incrementAndGet() + "\ndestination:" + destination
					+ "\nreceipt:" + receipt + "\n\n";
			ByteBuf buf = alloc().buffer(subscribe.length() + 1);
			buf.writeCharSequence(subscribe, StandardCharsets.UTF_8);
			buf.writeByte(0);
			send(buf, true);
		}

		@Override
		public void echo(long nanos, String payload) {
			send(SEND_ECHO, nanos, payload);
		}

		@Override
		public void broadcast(long nanos, String payload) {
			send(SEND_BROADCAST, nanos, payload);
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> {
				String receipt = "j" + this.ids.incrementAndGet();
				this.receipts.put(receipt, done);
				subscribe("/topic/group." + group, receipt);
			});
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			StompGroupCache cached = this.groups;
			if (!group.equals(cached.group)) {
				cached = new StompGroupCache(group,
						ascii("SEND\ndestination:/app/group." + group + "\ncontent-type:application/json\n\n"));
				this.groups = cached;
			}
			send(cached.head, nanos, payload);
		}

		private void send(byte[] head, long nanos, String payload) {
			StompPayloadCache cached = this.payloads;
			// identity on purpose: the generator reuses one payload string, so it is escaped and encoded once
			if (cached.payload != payload) {
				cached = new StompPayloadCache(payload, StompWire.jsonString(payload));
				this.payloads = cached;
			}
			ByteBuf buf = alloc().buffer(head.length + cached.json.length + 32);
			buf.writeBytes(head).writeBytes(StompWire.T_KEY);
			StompWire.writeLong(buf, nanos);
			buf.writeBytes(StompWire.P_KEY).writeBytes(cached.json).writeByte('}').writeByte(0);
			send(buf, true);
		}
	}

	/** The last payload this session sent, already JSON-escaped and UTF-8 encoded. */
	static final class StompPayloadCache {

		static final StompPayloadCache EMPTY = new StompPayloadCache(null, new byte[0]);

		final @Nullable String payload;

		final byte[] json;

		StompPayloadCache(@Nullable String payload, byte[] json) {
			this.payload = payload;
			this.json = json;
		}
	}

	/** The SEND frame head for the last group this session sent to. */
	static final class StompGroupCache {

		static final StompGroupCache EMPTY = new StompGroupCache(null, new byte[0]);

		final @Nullable String group;

		final byte[] head;

		StompGroupCache(@Nullable String group, byte[] head) {
			this.group = group;
			this.head = head;
		}
	}
}
