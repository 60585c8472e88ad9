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
 * payload one event written in one flush; the client's data comes in POSTs. Dropping the GET ends the
 * connection.
 */
final class ServerSentEventsTransport {

	private static final byte[] OPENING_COMMENT = ":\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	Mono<Void> handle(ServerWebExchange exchange, HttpConnection connection) {
		return TransportRequests.describe(exchange).flatMap((described) -> {
			Sinks.Empty<Void> aborted = Sinks.empty();
			if (!connection.attach(TransportType.SERVER_SENT_EVENTS, described.request(), described.user(),
					aborted::tryEmitEmpty)) {
				return TransportRequests.respond(exchange, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			}
			Channel channel = WebSocketTransport.channel(exchange);
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
			connection.startReceiving();
			Flux<Publisher<DataBuffer>> events = Flux
				.concat(Mono.<Publisher<DataBuffer>>just(Mono.just(buffers.wrap(OPENING_COMMENT))),
						connection.outbound().map((data) -> {
					connection.written(data.length);
					return (Publisher<DataBuffer>) Mono.just(buffers.wrap(event(data)));
				}))
				.takeUntilOther(aborted.asMono());
			return response.writeAndFlushWith(events)
				.onErrorResume((ex) -> Mono.empty())
				.doFinally((signal) -> connection.transportEnded(null));
		});
	}

	/** One SSE event: every line of the payload prefixed with {@code data: }, lines ended with CRLF. */
	static byte[] event(byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
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
