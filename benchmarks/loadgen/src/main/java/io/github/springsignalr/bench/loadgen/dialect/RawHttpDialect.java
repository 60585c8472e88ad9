package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * The raw HTTP-transport server's protocol (server-netty's {@code RawHttpTransports}): the raw WebSocket
 * messages ({@code {"op":..,"g":..,"t":..,"p":..}} up, {@code {"t":..,"p":..}} and {@code {"op":"joined"}}
 * down) over Server-Sent Events or long polling. The client names its connection ({@code ?id=}); like the
 * SignalR dialect, sends made while a POST is in flight go together in the next POST, one message a line.
 */
public final class RawHttpDialect implements Dialect {

	private static final byte[] T = Bytes.ascii("\"t\":");

	private static final byte[] JOINED = Bytes.ascii("\"joined\"");

	/** Connection ids unique to this generator process. */
	private static final String RUN = Long.toString(System.nanoTime(), 36);

	private static final AtomicLong IDS = new AtomicLong();

	private final String path;

	private final boolean longPolling;

	public RawHttpDialect(String path, boolean longPolling) {
		this.path = path;
		this.longPolling = longPolling;
	}

	@Override
	public String name() {
		return longPolling ? "raw-longpolling" : "raw-sse";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return Mono.defer(() -> {
			HttpSession session = new HttpSession(http, path + "?id=" + RUN + "-" + IDS.incrementAndGet(), sink);
			if (longPolling) {
				session.open();
			}
			else {
				session.startEventStream();
			}
			return session.readiness.asMono();
		});
	}

	/** One raw connection over SSE or long polling. */
	private static final class HttpSession implements Session {

		private final HttpClient http;

		private final String uri;

		private final MessageSink sink;

		final Sinks.One<Session> readiness = Sinks.one();

		private final Queue<MonoSink<Void>> joins = new ConcurrentLinkedQueue<>();

		private final StringBuilder outbox = new StringBuilder();

		private boolean posting;

		private volatile boolean closed;

		private byte[] pending = new byte[256];

		private int pendingLength;

		HttpSession(HttpClient http, String uri, MessageSink sink) {
			this.http = http;
			this.uri = uri;
			this.sink = sink;
		}

		void startEventStream() {
			http.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
				.get()
				.uri(uri)
				.response((response, body) -> {
					if (response.status().code() != 200) {
						return Mono.error(new IllegalStateException("event stream: " + response.status()));
					}
					readiness.tryEmitValue(this);
					return body.doOnNext(this::eventStreamChunk);
				})
				.subscribe(null, this::ended, () -> ended(null));
		}

		/** Appends a chunk of the event stream and handles every complete {@code data: ...} line. */
		private void eventStreamChunk(ByteBuf chunk) {
			int length = chunk.readableBytes();
			if (pendingLength + length > pending.length) {
				byte[] grown = new byte[Math.max(pendingLength + length, pending.length * 2)];
				System.arraycopy(pending, 0, grown, 0, pendingLength);
				pending = grown;
			}
			chunk.getBytes(chunk.readerIndex(), pending, pendingLength, length);
			pendingLength += length;
			int start = 0;
			int end;
			while ((end = Bytes.indexOf(pending, start, pendingLength, (byte) '\n')) >= 0) {
				if (end - start > 5 && pending[start] == 'd' && pending[start + 4] == ':') {
					message(pending, start + 5, end);
				}
				start = end + 1;
			}
			System.arraycopy(pending, start, pending, 0, pendingLength - start);
			pendingLength -= start;
		}

		private void message(byte[] bytes, int from, int to) {
			int t = Bytes.indexOf(bytes, from, to, T);
			if (t >= 0) {
				sink.delivered(Bytes.parseLong(bytes, t + T.length, to));
			}
			else if (Bytes.indexOf(bytes, from, to, JOINED) >= 0) {
				MonoSink<Void> done = joins.poll();
				if (done != null) {
					done.success();
				}
			}
		}

		/** The first poll names the connection and is answered at once. */
		void open() {
			http.get().uri(uri + "&open").responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
				.subscribe((status) -> {
					if (status == 200) {
						readiness.tryEmitValue(this);
						poll();
					}
					else {
						ended(new IllegalStateException("open: " + status));
					}
				}, this::ended);
		}

		private void poll() {
			if (closed) {
				return;
			}
			http.get().uri(uri).responseSingle((response, body) -> {
				int status = response.status().code();
				return body.asByteArray().defaultIfEmpty(new byte[0]).map((bytes) -> {
					if (status == 200) {
						int start = 0;
						int end;
						while ((end = Bytes.indexOf(bytes, start, bytes.length, (byte) '\n')) >= 0) {
							message(bytes, start, end);
							start = end + 1;
						}
					}
					return status;
				});
			}).subscribe((status) -> {
				if (status == 200) {
					poll();
				}
				else {
					ended(null);
				}
			}, this::ended);
		}

		private void ended(@Nullable Throwable error) {
			closed = true;
			readiness.tryEmitError(error != null ? error : new IllegalStateException("transport ended"));
			MonoSink<Void> join;
			while ((join = joins.poll()) != null) {
				join.error(new IllegalStateException("transport ended"));
			}
		}

		private void post(String message) {
			synchronized (outbox) {
				outbox.append(message).append('\n');
				if (posting) {
					return;
				}
				posting = true;
			}
			flush();
		}

		private void flush() {
			String body;
			synchronized (outbox) {
				if (outbox.length() == 0 || closed) {
					posting = false;
					return;
				}
				body = outbox.toString();
				outbox.setLength(0);
			}
			http.post()
				.uri(uri)
				.send(Mono.just(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
				.responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
				.subscribe((status) -> flush(), this::ended);
		}

		@Override
		public void echo(long nanos, String payload) {
			post("{\"op\":\"echo\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}

		@Override
		public void broadcast(long nanos, String payload) {
			post("{\"op\":\"broadcast\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> {
				joins.add(done);
				post("{\"op\":\"join\",\"g\":\"" + group + "\"}");
			});
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			post("{\"op\":\"group\",\"g\":\"" + group + "\",\"t\":" + nanos + ",\"p\":\"" + payload + "\"}");
		}

		@Override
		public void pauseReading(boolean paused) {
			// not used with these transports: the slow-consumer scenario runs over WebSockets
		}

		@Override
		public Mono<Void> close() {
			closed = true;
			return http.delete().uri(uri).response().then().onErrorResume((error) -> Mono.empty());
		}
	}
}
