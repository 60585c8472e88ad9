package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.legacy.Jsonp;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;

/**
 * The classic serverSentEvents and longPolling transports: an event stream ({@code data: initialized},
 * then one {@code data:} line per message, {@code data: {}} keep-alives) and long polls (one
 * PersistentResponse per request, a space as keep-alive while it waits). Each piece is flushed at once.
 */
final class LegacyStreams {

	private static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private static final Log logger = LogFactory.getLog(LegacyStreams.class);

	private final LegacyOptions options;

	LegacyStreams(LegacyOptions options) {
		this.options = options;
	}

	/** An event stream attached to the connection ({@code /connect} or {@code /reconnect}). */
	Mono<Void> eventStream(LegacyRequest request, LegacyConnection connection, boolean reconnect,
			Mono<Void> connected) {
		ServerHttpResponse response = request.exchange().getResponse();
		response.getHeaders().setContentType(EVENT_STREAM);
		response.getHeaders().setCacheControl("no-cache, no-store");
		LegacyChannel channel = new LegacyChannel();
		Flux<byte[]> events = Flux.concat(ran(connected), withKeepAlives(channel, LegacyFraming.KEEP_ALIVE))
			.map(LegacyFraming::event)
			.startWith(LegacyFraming.INITIALIZED);
		Flux<byte[]> body = Flux.defer(() -> {
			connection.attach(channel, TransportType.SERVER_SENT_EVENTS, request.queryOrForm("messageId"), reconnect);
			return events;
		}).doFinally((signal) -> connection.detach(channel));
		return response.writeAndFlushWith(pieces(response, body));
	}

	/**
	 * A forever frame attached to the connection ({@code /connect} or {@code /reconnect}): an HTML page
	 * whose prologue finds the client's frame {@code frameId}, then one {@code <script>r(c, ..);</script>}
	 * per message, the JSON escaped so that it cannot end the script.
	 */
	Mono<Void> foreverFrame(LegacyRequest request, LegacyConnection connection, boolean reconnect,
			Mono<Void> connected, long frameId) {
		ServerHttpResponse response = request.exchange().getResponse();
		response.getHeaders().setContentType(HTML);
		response.getHeaders().setCacheControl("no-cache, no-store");
		// the client's page frames this response, and only a page of the same origin may: set here, so that
		// Spring Security's default (DENY, written only when the response has none) does not block it
		response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");
		LegacyChannel channel = new LegacyChannel();
		Flux<byte[]> frames = Flux.concat(Mono.just(LegacyFraming.foreverFramePrologue(frameId)), ran(connected),
				withKeepAlives(channel, LegacyFraming.KEEP_ALIVE).map(LegacyFraming::foreverFrameScript));
		Flux<byte[]> body = Flux.defer(() -> {
			connection.attach(channel, TransportType.FOREVER_FRAME, request.queryOrForm("messageId"), reconnect);
			return frames;
		}).doFinally((signal) -> connection.detach(channel));
		return response.writeAndFlushWith(pieces(response, body));
	}

	/**
	 * A {@code /poll} or longPolling's {@code /reconnect}: one PersistentResponse, spaces while it waits
	 * (with JSONP the script {@code callback(<json>);}, no spaces).
	 */
	Mono<Void> longPoll(LegacyRequest request, LegacyConnection connection) {
		ServerHttpResponse response = request.exchange().getResponse();
		String callback = request.query("callback");
		response.getHeaders()
			.setContentType((callback != null) ? LegacyRequestHandler.JAVASCRIPT : LegacyRequestHandler.JSON);
		response.getHeaders().setCacheControl("no-cache, no-store");
		String messageId = request.queryOrForm("messageId");
		Flux<byte[]> body = Flux.create((sink) -> {
			// nothing after the response: a keep-alive space and the response never cross
			AtomicBoolean answered = new AtomicBoolean();
			Disposable poll = connection.poll(messageId).subscribe((json) -> {
				synchronized (answered) {
					answered.set(true);
					sink.next(LegacyFraming.utf8((callback != null) ? Jsonp.wrap(callback, json) : json));
					sink.complete();
				}
			});
			Flux<byte[]> spaces = (callback != null) ? Flux.<byte[]>never() : keepAlives(LegacyFraming.SPACE);
			Disposable keepAlive = spaces.subscribe((space) -> {
				synchronized (answered) {
					if (!answered.get()) {
						sink.next(space);
					}
				}
			});
			sink.onDispose(() -> {
				keepAlive.dispose();
				poll.dispose();
			});
		});
		return response.writeAndFlushWith(pieces(response, body));
	}

	/**
	 * Runs the hubs' OnConnected (protocol &lt; 1.4) or OnReconnected before the channel's messages go
	 * out, as the reference does: the client sees the init message once they ran, and what they sent
	 * comes after it. A failure is logged; the transport goes on.
	 */
	static <T> Mono<T> ran(Mono<Void> connected) {
		return connected.onErrorResume((ex) -> {
			logger.debug("A connection event of a classic connection failed", ex);
			return Mono.empty();
		}).then(Mono.empty());
	}

	/**
	 * What the connection writes on a channel, with a keep-alive every KeepAlive, until the channel ends;
	 * without keep-alive, until the ConnectionTimeout too (the client then reconnects, as the reference has it).
	 */
	Flux<byte[]> withKeepAlives(LegacyChannel channel, byte[] keepAlive) {
		if (this.options.keepAlive() == null) {
			return channel.texts().take(this.options.connectionTimeout());
		}
		return channel.texts().publish((texts) -> Flux.merge(texts, keepAlives(keepAlive).takeUntilOther(texts.then())));
	}

	private Flux<byte[]> keepAlives(byte[] text) {
		Duration keepAlive = this.options.keepAlive();
		return (keepAlive != null) ? Flux.interval(keepAlive, keepAlive).map((tick) -> text) : Flux.never();
	}

	private static Flux<Publisher<DataBuffer>> pieces(ServerHttpResponse response, Flux<byte[]> texts) {
		return texts.map((text) -> Mono.just(response.bufferFactory().wrap(text)));
	}
}
