package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.legacy.LegacyParameters;
import io.github.springsignalr.legacy.LegacyTransport;

/**
 * The classic webSockets transport: one text frame per JSON object each way, written straight to the
 * Netty channel on Reactor Netty ({@link LegacyFrameWriter}). Frames that are not hub
 * invocations (keep-alive {@code {}} pings of some clients, junk) are ignored without closing the
 * socket; a frame over 64 KiB closes it. A closed socket leaves the connection to its disconnect timeout.
 */
final class LegacyWebSocket {

	/** The largest message a client may send, as the reference's MaxIncomingWebSocketMessageSize. */
	static final int MAX_MESSAGE_SIZE = LegacyParameters.MAX_DATA;

	private final LegacyStreams keepAlives;

	private final HandshakeWebSocketService upgrades = new HandshakeWebSocketService(
			new ReactorNettyRequestUpgradeStrategy(() -> WebsocketServerSpec.builder()
				.maxFramePayloadLength(MAX_MESSAGE_SIZE)
				.handlePing(false)));

	private final LegacyOptions options;

	LegacyWebSocket(LegacyOptions options) {
		this.options = options;
		this.keepAlives = new LegacyStreams(options);
	}

	/** Upgrades the request and attaches the socket to the connection. */
	Mono<Void> serve(LegacyRequest request, LegacyConnection connection, boolean reconnect, Mono<Void> connected) {
		String messageId = request.query("messageId");
		WebSocketHandler handler = (session) -> {
			Channel netty = WebSocketTransport.channel(request.exchange());
			if (netty == null) {
				return serveThroughSession(session, connection, messageId, reconnect, connected);
			}
			LegacyFrameWriter writer = LegacyFrameWriter.start(netty, this.options);
			connection.attach(writer, TransportType.WEB_SOCKETS, messageId, reconnect);
			Mono<Void> output = LegacyStreams.ran(connected)
				.doFinally((signal) -> writer.release())
				.then(writer.finished())
				.then(Mono.defer(session::close));
			return Mono.firstWithSignal(receive(session, connection, writer), output)
				.doFinally((signal) -> {
					writer.end();
					connection.detach(writer);
				});
		};
		// the session's URI is logged at DEBUG: without the connection token
		return this.upgrades.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(request.exchange()),
				handler);
	}

	/** The client's frames to the connection, the results back on the socket; ends when the socket closes. */
	private static Mono<Void> receive(WebSocketSession session, LegacyConnection connection, LegacyTransport channel) {
		return session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
			.map(WebSocketMessage::getPayloadAsText)
			.flatMap((data) -> connection.receive(data)
				.doOnNext((result) -> channel.write(result.getBytes(StandardCharsets.UTF_8)))
				.onErrorResume((ex) -> Mono.empty()))
			.then();
	}

	/** The socket on servers other than Reactor Netty: written through Spring's session. */
	private Mono<Void> serveThroughSession(WebSocketSession session, LegacyConnection connection,
			@Nullable String messageId, boolean reconnect, Mono<Void> connected) {
		LegacyChannel channel = new LegacyChannel();
		connection.attach(channel, TransportType.WEB_SOCKETS, messageId, reconnect);
		Mono<Void> output = session
			.send(LegacyStreams.<byte[]>ran(connected)
				.concatWith(this.keepAlives.withKeepAlives(channel, LegacyFraming.KEEP_ALIVE))
				.map((json) -> new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(json))))
			.then(Mono.defer(session::close));
		return Mono.firstWithSignal(receive(session, connection, channel), output)
			.doFinally((signal) -> connection.detach(channel));
	}
}
