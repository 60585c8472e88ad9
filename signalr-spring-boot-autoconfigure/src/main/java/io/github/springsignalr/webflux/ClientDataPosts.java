package io.github.springsignalr.webflux;

import java.util.Arrays;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.InvalidDataException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The POSTs of client data of the Server-Sent Events and long polling transports: each body goes to its
 * connection, within the limit of one POST and of what the connection holds unhandled.
 */
final class ClientDataPosts {

	private final int maxPostSize;

	/**
	 * @param maxPostSize largest body accepted in one POST of client data
	 */
	ClientDataPosts(int maxPostSize) {
		this.maxPostSize = maxPostSize;
	}

	/**
	 * Client data over SSE or long polling: any content type, possibly several messages. A body over the
	 * limit is read to its end but only its first {@code maxPostSize} bytes are kept: those go to the
	 * handler (the hub's parser rejects a message over its maximum size in them, as the reference's does),
	 * then the connection is closed as on invalid data, and the POST gets 413 (Kestrel's answer to a body
	 * over its limit).
	 * <p>
	 * What the connection queues for its handler is bounded by the same limit: a POST whose body would take
	 * the queue past it (or any POST while another of the connection is being read) waits, its body unread,
	 * until the handler has taken enough, as the reference's pipe holds a POST past its pause threshold.
	 * It is answered once its data is queued, as in the reference; 404 when the connection ends first.
	 */
	Mono<Void> receive(ServerWebExchange exchange, HttpConnection connection) {
		Flux<DataBuffer> body = exchange.getRequest().getBody();
		return receive(exchange.getRequest().getHeaders().getContentLength(),
				body.collect(() -> new PostBody(this.maxPostSize), PostBody::append), connection)
			.flatMap((status) -> TransportRequests.respond(exchange, status, MediaType.TEXT_PLAIN, answer(status)));
	}

	/**
	 * The same POST on Reactor Netty itself ({@link DirectTransportRequests}), answered as
	 * {@link TransportRequests#respond} answers it.
	 */
	Mono<Void> receive(HttpServerRequest request, HttpServerResponse response, HttpConnection connection) {
		long declared;
		try {
			declared = Long.parseLong(request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH, "-1"));
		}
		catch (NumberFormatException ex) {
			declared = -1;
		}
		// Reactor Netty releases each buffer once it has been handed on: PostBody copies it first
		Mono<PostBody> body = request.receive().collect(() -> new PostBody(this.maxPostSize), PostBody::append);
		return receive(declared, body, connection)
			.flatMap((status) -> DirectTransportRequests.respond(response, status, answer(status)));
	}

	private Mono<HttpStatus> receive(long declared, Mono<PostBody> collected, HttpConnection connection) {
		long bytes = (declared < 0 || declared > this.maxPostSize) ? this.maxPostSize : declared;
		Mono<HttpStatus> read = collected.map((body) -> {
			byte[] data = body.data();
			if (data.length > 0 && !connection.receive(data)) {
				return HttpStatus.NOT_FOUND;
			}
			if (body.exceeded()) {
				connection.receiveFailed(new InvalidDataException("The maximum message size of " + this.maxPostSize
						+ "B was exceeded. The message size can be configured with signalr.websocket.max-frame-size."));
				return HttpStatus.CONTENT_TOO_LARGE;
			}
			return HttpStatus.OK;
		});
		return connection.whenInboundRoom(bytes, this.maxPostSize, read, Mono.just(HttpStatus.NOT_FOUND));
	}

	private static String answer(HttpStatus status) {
		return (status == HttpStatus.NOT_FOUND) ? "No Connection with that ID" : "";
	}

	/** A POST body's first bytes, up to the limit; the rest is released as it comes. */
	private static final class PostBody {

		private final int limit;

		private byte[] data = new byte[0];

		private int length;

		private boolean exceeded;

		PostBody(int limit) {
			this.limit = limit;
		}

		void append(DataBuffer buffer) {
			try {
				int kept = room(buffer.readableByteCount());
				if (kept > 0) {
					buffer.read(this.data, this.length, kept);
					this.length += kept;
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}

		/** A buffer of Reactor Netty's, which releases it itself. */
		void append(ByteBuf buffer) {
			int kept = room(buffer.readableBytes());
			if (kept > 0) {
				buffer.readBytes(this.data, this.length, kept);
				this.length += kept;
			}
		}

		/** How many of {@code readable} more bytes are kept; room is made for them. */
		private int room(int readable) {
			int kept = Math.min(readable, this.limit - this.length);
			if (kept < readable) {
				this.exceeded = true;
			}
			if (kept > 0 && this.length + kept > this.data.length) {
				int capacity = (int) Math.min(this.limit, Math.max(this.length + kept, 2L * this.data.length));
				this.data = Arrays.copyOf(this.data, capacity);
			}
			return kept;
		}

		byte[] data() {
			return (this.length == this.data.length) ? this.data : Arrays.copyOf(this.data, this.length);
		}

		boolean exceeded() {
			return this.exceeded;
		}
	}
}
