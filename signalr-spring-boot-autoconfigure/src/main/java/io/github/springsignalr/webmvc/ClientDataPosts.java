package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.InvalidDataException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The POSTs of client data of the Server-Sent Events and long polling transports on a servlet container:
 * each body goes to its connection, within the limit of one POST and of what the connection holds
 * unhandled, with the answers of the WebFlux adapter's.
 * <p>
 * The body is read on the request's own thread, once it is the POST's turn: a POST that waits for room
 * holds its thread and leaves its body unread, as the reference's pipe holds a POST past its pause threshold.
 */
final class ClientDataPosts {

	private static final String NO_CONNECTION = "No Connection with that ID";

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
	 * handler, then the connection is closed as on invalid data, and the POST gets 413. A POST is answered
	 * once its data is queued; 404 when the connection ends first.
	 */
	void receive(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		long declared = request.getContentLengthLong();
		long bytes = (declared < 0 || declared > this.maxPostSize) ? this.maxPostSize : declared;
		CompletableFuture<Boolean> turn = new CompletableFuture<>();
		Sinks.One<HttpStatus> read = Sinks.one();
		connection
			.whenInboundRoom(bytes, this.maxPostSize, Mono.defer(() -> {
				turn.complete(true);
				return read.asMono();
			}), Mono.fromRunnable(() -> turn.complete(false)).then(Mono.just(HttpStatus.NOT_FOUND)))
			.subscribe();
		HttpStatus status = HttpStatus.NOT_FOUND;
		try {
			if (turn.join()) {
				status = readInto(request.getInputStream(), connection);
			}
		}
		finally {
			// the turn passes on even when the client went away mid-body
			read.tryEmitValue(status);
		}
		TransportRequests.respond(response, status, MediaType.TEXT_PLAIN,
				(status == HttpStatus.NOT_FOUND) ? NO_CONNECTION : "");
	}

	private HttpStatus readInto(InputStream in, HttpConnection connection) throws IOException {
		byte[] data = new byte[Math.min(this.maxPostSize, 8192)];
		int length = 0;
		boolean exceeded = false;
		byte[] skip = null;
		while (true) {
			if (length == data.length && length < this.maxPostSize) {
				data = Arrays.copyOf(data, (int) Math.min(this.maxPostSize, 2L * data.length));
			}
			int read;
			if (length < data.length) {
				read = in.read(data, length, data.length - length);
				if (read > 0) {
					length += read;
				}
			}
			else {
				// past the limit: the rest is read and dropped
				if (skip == null) {
					skip = new byte[8192];
				}
				read = in.read(skip);
				exceeded |= read > 0;
			}
			if (read < 0) {
				break;
			}
		}
		byte[] body = (length == data.length) ? data : Arrays.copyOf(data, length);
		if (body.length > 0 && !connection.receive(body)) {
			return HttpStatus.NOT_FOUND;
		}
		if (exceeded) {
			connection.receiveFailed(new InvalidDataException("The maximum message size of " + this.maxPostSize
					+ "B was exceeded. The message size can be configured in AddHubOptions."));
			return HttpStatus.CONTENT_TOO_LARGE;
		}
		return HttpStatus.OK;
	}
}
