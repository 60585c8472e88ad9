package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;

/**
 * The Server-Sent Events transport on an asynchronous servlet request: the event-stream GET carries every
 * message to the client, each payload one event, what is queued at once written in one flush; the
 * client's data comes in POSTs. The stream ends when the connection does, and a stream that fails (the
 * client went away) ends the connection.
 * <p>
 * A servlet container does not notice a client that went away from an idle asynchronous response (Reactor
 * Netty does): a stream idle for {@link #PROBE_AFTER} gets an SSE comment on the heartbeat, which every
 * client skips, so that a dropped stream fails a write and ends its connection within seconds. The stream
 * itself ({@link EventStream}) writes without blocking, so a client that stops reading holds no thread.
 */
final class ServerSentEventsTransport {

	static final byte[] OPENING_COMMENT = ":\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CRLF = { '\r', '\n' };

	/** How long a stream may be idle before the heartbeat probes it with a comment. */
	static final long PROBE_AFTER = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

	private final Executor writes;

	ServerSentEventsTransport(Executor writes) {
		this.writes = writes;
	}

	void handle(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		EventStream stream = new EventStream(connection, this.writes);
		if (!connection.attach(TransportType.SERVER_SENT_EVENTS, TransportRequests.describe(request),
				TransportRequests.authenticatedUser(request), stream::dropQueued)) {
			TransportRequests.respond(response, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
			return;
		}
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader(HttpHeaders.CONTENT_ENCODING, "identity");
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(0);
		async.addListener(stream);
		connection.socket(stream);
		connection.onTransportHeartbeat(stream::probe);
		connection.outbound(stream);
		connection.startReceiving();
		stream.start(async, response.getOutputStream(),
				(request.getAttribute(TomcatResponseAbortValve.ATTRIBUTE) instanceof Runnable abort) ? abort : null);
	}

	/** One SSE event: every line of the payload prefixed with {@code data: }, lines ended with CRLF. */
	static void writeEvent(OutputStream out, byte[] payload) throws IOException {
		int start = 0;
		for (int i = 0; i <= payload.length; i++) {
			if (i == payload.length || payload[i] == '\n') {
				int end = i;
				if (end > start && payload[end - 1] == '\r') {
					end--;
				}
				out.write(DATA);
				out.write(payload, start, end - start);
				out.write(CRLF);
				start = i + 1;
			}
		}
		out.write(CRLF);
	}
}
