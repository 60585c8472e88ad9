package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * SignalR with the JSON protocol over Server-Sent Events or long polling: negotiate, then the receiving
 * request(s) ({@code GET ?id=} as an event stream, or a loop of polls), and POSTs for everything sent. Like the
 * official clients, sends made while a POST is in flight are batched into the next POST.
 */
public final class SignalRHttpDialect implements Dialect {

	private final String path;

	private final boolean longPolling;

	public SignalRHttpDialect(String path, boolean longPolling) {
		this.path = path;
		this.longPolling = longPolling;
	}

	@Override
	public String name() {
		return longPolling ? "signalr-json-longpolling" : "signalr-json-sse";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return SignalRSupport.negotiate(http, path).flatMap((token) -> {
			HttpSession session = new HttpSession(http, path + "?id=" + token, sink);
			if (longPolling) {
				session.startPolling();
			}
			else {
				session.startEventStream();
			}
			return session.readiness.asMono();
		});
	}

	/** One SignalR connection over SSE or long polling. */
	private static final class HttpSession implements Session {

		private final HttpClient http;

		private final String uri;

		private final SignalRSupport support;

		final Sinks.One<Session> readiness = Sinks.one();

		private final StringBuilder outbox = new StringBuilder();

		private boolean posting;

		private volatile boolean closed;

		private volatile boolean handshaken;

		private byte[] pendingBytes = new byte[0];

		private int pendingLength;

		HttpSession(HttpClient http, String uri, MessageSink sink) {
			this.http = http;
			this.uri = uri;
			this.support = new SignalRSupport(sink);
		}

		void startEventStream() {
			http.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
				.get()
				.uri(uri)
				.response((response, body) -> {
					post(SignalRSupport.handshake(HubCodec.JSON));
					return body.doOnNext(this::eventStreamChunk);
				})
				.subscribe(null, this::ended, () -> ended(null));
		}

		/** Appends a chunk of the event stream and handles every complete event ({@code data: ...\r\n\r\n}). */
		private void eventStreamChunk(ByteBuf chunk) {
			append(chunk);
			int start = 0;
			while (true) {
				int end = Bytes.indexOf(pendingBytes, start, pendingLength, (byte) '\n');
				if (end < 0) {
					break;
				}
				int lineEnd = end > start && pendingBytes[end - 1] == '\r' ? end - 1 : end;
				if (lineEnd - start > 5 && pendingBytes[start] == 'd' && pendingBytes[start + 4] == ':') {
					int data = start + 5;
					if (pendingBytes[data] == ' ') {
						data++;
					}
					records(pendingBytes, data, lineEnd);
				}
				start = end + 1;
			}
			System.arraycopy(pendingBytes, start, pendingBytes, 0, pendingLength - start);
			pendingLength -= start;
		}

		private void append(ByteBuf chunk) {
			int length = chunk.readableBytes();
			if (pendingLength + length > pendingBytes.length) {
				byte[] grown = new byte[Math.max(pendingLength + length, pendingBytes.length * 2)];
				System.arraycopy(pendingBytes, 0, grown, 0, pendingLength);
				pendingBytes = grown;
			}
			chunk.getBytes(chunk.readerIndex(), pendingBytes, pendingLength, length);
			pendingLength += length;
		}

		private void records(byte[] bytes, int from, int to) {
			int start = from;
			if (!handshaken) {
				try {
					start = SignalRSupport.handshakeEnd(bytes, from, to);
				}
				catch (IllegalStateException ex) {
					readiness.tryEmitError(ex);
					return;
				}
				if (start < 0) {
					return;
				}
				handshaken = true;
				readiness.tryEmitValue(this);
			}
			HubCodec.JSON.read(bytes, start, to, support);
		}

		void startPolling() {
			// the first poll confirms the transport; the handshake goes once it has answered
			poll(true);
		}

		private void poll(boolean first) {
			if (closed) {
				return;
			}
			http.get().uri(uri).responseSingle((response, body) -> {
				int status = response.status().code();
				return body.asByteArray().defaultIfEmpty(new byte[0]).map((bytes) -> {
					if (status == 200) {
						records(bytes, 0, bytes.length);
					}
					return status;
				});
			}).subscribe((status) -> {
				if (first) {
					post(SignalRSupport.handshake(HubCodec.JSON));
				}
				if (status == 200) {
					poll(false);
				}
				else {
					ended(null);
				}
			}, this::ended);
		}

		private void ended(@Nullable Throwable error) {
			closed = true;
			readiness.tryEmitError(error != null ? error : new IllegalStateException("transport ended"));
			support.close(error != null ? error.toString() : null);
		}

		private void invoke(@Nullable String id, String target, Object... args) {
			ByteBuf message = Unpooled.buffer(64);
			HubCodec.JSON.writeInvocation(message, id, target, args);
			post(message.toString(StandardCharsets.US_ASCII));
		}

		private void post(String records) {
			synchronized (outbox) {
				outbox.append(records);
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
				.subscribe((status) -> flush(), (error) -> ended(error));
		}

		@Override
		public void echo(long nanos, String payload) {
			invoke(null, "Echo", nanos, payload);
		}

		@Override
		public void broadcast(long nanos, String payload) {
			invoke(null, "Broadcast", nanos, payload);
		}

		@Override
		public Mono<Void> join(String group) {
			return Mono.create((done) -> invoke(support.join(done), "JoinGroup", group));
		}

		@Override
		public void sendToGroup(String group, long nanos, String payload) {
			invoke(null, "SendToGroup", group, nanos, payload);
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
