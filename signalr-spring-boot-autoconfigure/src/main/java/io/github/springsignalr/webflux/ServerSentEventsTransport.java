package io.github.springsignalr.webflux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;
import io.netty.channel.Channel;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The Server-Sent Events transport: the event-stream GET carries every message to the client, each
 * payload one event; the client's data comes in POSTs. Dropping the GET ends the connection. On Reactor
 * Netty the events are written straight to the channel ({@link SseEventWriter}: what accumulated goes out
 * in one flush); elsewhere through the response, one flush per event.
 */
final class ServerSentEventsTransport {

	private static final byte[] OPENING_COMMENT = ":\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	Mono<Void> handle(ServerWebExchange exchange, HttpConnection connection) {
		return TransportRequests.describe(exchange).flatMap((described) -> {
			Channel channel = WebSocketTransport.channel(exchange);
			Sinks.Empty<Void> ended = Sinks.empty();
			SseEventWriter writer = (channel != null) ? new SseEventWriter(channel, connection, ended::tryEmitEmpty)
					: null;
			if (!connection.attach(TransportType.SERVER_SENT_EVENTS, described.request(), described.user(),
					(writer != null) ? writer::end : ended::tryEmitEmpty)) {
				return TransportRequests.respond(exchange, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			}
			if (channel != null) {
				connection.socket(new NettyTransportSocket(channel));
			}
			ServerHttpResponse response = exchange.getResponse();
			HttpHeaders headers = response.getHeaders();
			headers.setContentType(MediaType.TEXT_EVENT_STREAM);
			headers.setCacheControl("no-cache");
			headers.set("X-Accel-Buffering", "no");
			headers.set(HttpHeaders.CONTENT_ENCODING, "identity");
			DataBufferFactory buffers = response.bufferFactory();
			// the handler runs on the stream's event loop, as a WebSocket's does: its messages are written there
			connection.startReceiving(TransportRequests.eventLoop(channel));
			Publisher<DataBuffer> opening = Mono.just(buffers.wrap(OPENING_COMMENT));
			Mono<Void> stream;
			if (writer != null) {
				// the headers and the opening comment go through the response (its commit actions run); the
				// events are then written straight to the channel as chunks of the same response
				stream = response.writeAndFlushWith(Mono.just(opening)).then(Mono.defer(() -> {
					writer.start();
					return ended.asMono();
				}));
			}
			else {
				Flux<Publisher<DataBuffer>> events = Flux.concat(Mono.just(opening), connection.outbound().map((data) -> {
					connection.written(data.length);
					return (Publisher<DataBuffer>) Mono.just(buffers.wrap(event(data)));
				})).takeUntilOther(ended.asMono());
				stream = response.writeAndFlushWith(events);
			}
			return stream.onErrorResume((ex) -> Mono.empty()).doFinally((signal) -> {
				if (writer != null) {
					writer.end();
				}
				connection.transportEnded(null);
			});
		});
	}

	/** One SSE event: every line of the payload prefixed with {@code data: }, lines ended with CRLF. */
	static byte[] event(byte[] payload) {
		int lines = 1;
		for (byte b : payload) {
			if (b == '\n') {
				lines++;
			}
		}
		if (lines == 1 && (payload.length == 0 || payload[payload.length - 1] != '\r')) {
			// one line (every JSON message): the event in one copy
			byte[] event = new byte[DATA.length + payload.length + 4];
			System.arraycopy(DATA, 0, event, 0, DATA.length);
			System.arraycopy(payload, 0, event, DATA.length, payload.length);
			int end = DATA.length + payload.length;
			event[end] = '\r';
			event[end + 1] = '\n';
			event[end + 2] = '\r';
			event[end + 3] = '\n';
			return event;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16 * lines);
		int start = 0;
		for (int i = 0; i <= payload.length; i++) {
			if (i == payload.length || payload[i] == '\n') {
				int end = i;
				if (end > start && payload[end - 1] == '\r') {
					end--;
				}
				out.write(DATA, 0, DATA.length);
				out.write(payload, start, end - start);
				out.write('\r');
				out.write('\n');
				start = i + 1;
			}
		}
		out.write('\r');
		out.write('\n');
		return out.toByteArray();
	}
}
