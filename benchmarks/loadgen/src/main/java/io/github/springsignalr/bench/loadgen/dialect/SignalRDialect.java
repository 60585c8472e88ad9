package io.github.springsignalr.bench.loadgen.dialect;

import java.nio.charset.StandardCharsets;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * ASP.NET Core SignalR over WebSockets with the JSON or MessagePack hub protocol: negotiate (version 1), the
 * WebSocket with the connection token, the handshake, then invocations without an invocation id for the
 * fire-and-forget calls ({@code Echo}, {@code Broadcast}, {@code SendToGroup}) and with one for
 * {@code JoinGroup}, whose completion is awaited. Received {@code m(t, p)} invocations are delivered; Pings
 * are ignored.
 */
public final class SignalRDialect implements Dialect {

	private final String path;

	private final HubCodec codec;

	public SignalRDialect(String path, HubCodec codec) {
		this.path = path;
		this.codec = codec;
	}

	@Override
	public String name() {
		return codec == HubCodec.JSON ? "signalr-json" : "signalr-msgpack";
	}

	@Override
	public Mono<Session> open(HttpClient http, MessageSink sink) {
		return SignalRSupport.negotiate(http, path)
			.flatMap((token) -> WebSocketSession.connect(http, path + "?id=" + token,
					new HubSession(codec, sink)));
	}

	/** One SignalR connection over a WebSocket. */
	private static final class HubSession extends WebSocketSession {

		private final HubCodec codec;

		private final SignalRSupport support;

		private boolean handshaken;

		private byte[] scratch = new byte[256];

		HubSession(HubCodec codec, MessageSink sink) {
			super(sink);
			this.codec = codec;
			this.support = new SignalRSupport(sink);
		}

		@Override
		protected void opened() {
			ByteBuf handshake = alloc().buffer(48);
			handshake.writeCharSequence(SignalRSupport.handshake(codec), StandardCharsets.US_ASCII);
			send(handshake, codec.text());
		}

		@Override
		protected void received(ByteBuf content, boolean text) {
			int length = content.readableBytes();
			scratch = Bytes.copy(content, scratch);
			int from = 0;
			if (!handshaken) {
				try {
					from = SignalRSupport.handshakeEnd(scratch, 0, length);
				}
				catch (IllegalStateException ex) {
					failed(ex);
					return;
				}
				if (from < 0) {
					return;
				}
				handshaken = true;
				ready();
			}
			codec.read(scratch, from, length, support);
		}

		private void invoke(@Nullable String id, String target, Object... args) {
			ByteBuf message = alloc().buffer(64);
			codec.writeInvocation(message, id, target, args);
			send(message, codec.text());
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
	}
}
