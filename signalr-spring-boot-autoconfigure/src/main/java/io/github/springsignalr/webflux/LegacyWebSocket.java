package io.github.springsignalr.webflux;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyOptions;

/**
 * The classic webSockets transport: one text frame per JSON object each way. Frames that are not hub
 * invocations (keep-alive {@code {}} pings of some clients, junk) are ignored without closing the
 * socket; a frame over 64 KiB closes it. A closed socket leaves the connection to its disconnect timeout.
 */
final class LegacyWebSocket {

	/** The largest message a client may send, as the reference's MaxIncomingWebSocketMessageSize. */
	static final int MAX_MESSAGE_SIZE = 64 * 1024;

	private final LegacyStreams keepAlives;

	private final HandshakeWebSocketService upgrades = new HandshakeWebSocketService(
			new ReactorNettyRequestUpgradeStrategy(() -> WebsocketServerSpec.builder()
				.maxFramePayloadLength(MAX_MESSAGE_SIZE)
				.handlePing(false)));

	LegacyWebSocket(LegacyOptions options) {
		this.keepAlives = new LegacyStreams(options);
	}

	/** Upgrades the request and attaches the socket to the connection. */
	Mono<Void> serve(LegacyRequest request, LegacyConnection connection, boolean reconnect, Mono<Void> connected) {
		String messageId = request.query("messageId");
		WebSocketHandler handler = (session) -> {
			LegacyChannel channel = new LegacyChannel();
			connection.attach(channel, TransportType.WEB_SOCKETS, messageId, reconnect);
			Mono<Void> output = session
				.send(LegacyStreams.ran(connected)
					.concatWith(this.keepAlives.withKeepAlives(channel, "{}"))
					.map(session::textMessage))
				.then(Mono.defer(() -> session.close()));
			Mono<Void> input = session.receive()
				.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
				.map(WebSocketMessage::getPayloadAsText)
				.flatMap((data) -> connection.receive(data).doOnNext(channel::write).onErrorResume((ex) -> Mono.empty()))
				.then();
			return Mono.firstWithSignal(input, output)
				.doFinally((signal) -> connection.detach(channel));
		};
		// the session's URI is logged at DEBUG: without the connection token
		return this.upgrades.handleRequest(SecretRedactingHttpHandlerDecorator.withoutSecrets(request.exchange()),
				handler);
	}
}
