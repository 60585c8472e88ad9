package io.github.springsignalr.bench.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The benchmark hub's work over the HTTP transports, with the least machinery that does it on Reactor Netty.
 * The client names its connection ({@code ?id=}); messages go up as POSTs whose body holds one or more of
 * {@link RawHub}'s messages, and come down
 * <ul>
 * <li>at {@code /raw-sse} as Server-Sent Events on one {@code GET} (Accept: text/event-stream), each message
 * one {@code data: <json>\n\n} event written straight to the channel as a chunk of the response;</li>
 * <li>at {@code /raw-poll} as the bodies of held {@code GET}s: a poll is answered as soon as something is
 * queued, with every queued message in one body (one JSON message a line). The first poll names the
 * connection ({@code &open}) and is answered at once, empty.</li>
 * </ul>
 * {@code DELETE ?id=} ends a connection. Writes follow {@link Fanout}: per event loop, one flush (or one poll
 * answer) per unit of work.
 */
final class RawHttpTransports {

	private final RawHub events = new RawHub("data: ", "\n\n");

	private final RawHub polls = new RawHub("", "\n");

	private final Map<String, EventStream> streams = new ConcurrentHashMap<>();

	private final Map<String, Poller> pollers = new ConcurrentHashMap<>();

	void register(HttpServerRoutes routes) {
		routes.get("/raw-sse", this::stream)
			.post("/raw-sse", (request, response) -> post(request, response, this.streams.get(id(request)),
					this.events))
			.delete("/raw-sse", (request, response) -> {
				EventStream stream = this.streams.remove(id(request));
				if (stream != null) {
					this.events.remove(stream);
					stream.channel.close();
				}
				return response.send();
			})
			.get("/raw-poll", this::poll)
			.post("/raw-poll", (request, response) -> post(request, response, this.pollers.get(id(request)),
					this.polls))
			.delete("/raw-poll", (request, response) -> {
				Poller poller = this.pollers.remove(id(request));
				if (poller != null) {
					this.polls.remove(poller);
					poller.inbox.loop.execute(poller::close);
				}
				return response.send();
			});
	}

	private Publisher<Void> stream(HttpServerRequest request, HttpServerResponse response) {
		String id = id(request);
		Channel[] channel = new Channel[1];
		response.withConnection((connection) -> channel[0] = connection.channel());
		EventStream stream = new EventStream(channel[0]);
		// the headers are written in this task, before any task of this loop can write an event
		this.streams.put(id, stream);
		this.events.add(stream);
		channel[0].closeFuture().addListener((future) -> {
			this.streams.remove(id, stream);
			this.events.remove(stream);
		});
		return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.header(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
			.sendHeaders()
			.then()
			.then(Mono.never());
	}

	private Publisher<Void> poll(HttpServerRequest request, HttpServerResponse response) {
		String id = id(request);
		if (request.uri().endsWith("&open")) {
			Channel[] channel = new Channel[1];
			response.withConnection((connection) -> channel[0] = connection.channel());
			Poller poller = new Poller(Fanout.inbox(channel[0].eventLoop()));
			this.pollers.put(id, poller);
			this.polls.add(poller);
			return response.send();
		}
		Poller poller = this.pollers.get(id);
		if (poller == null) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
			.send(Mono.create(poller::attach));
	}

	private static Publisher<Void> post(HttpServerRequest request, HttpServerResponse response,
			@Nullable Peer peer, RawHub hub) {
		if (peer == null) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		return request.receive().aggregate().asByteArray().doOnNext((bytes) -> {
			hub.receive(peer, bytes, 0, bytes.length);
			// the POST is this loop's unit of work: what it wrote here goes out now
			Fanout.flush();
		}).then();
	}

	private static String id(HttpServerRequest request) {
		String uri = request.uri();
		int start = uri.indexOf("id=");
		if (start < 0) {
			return "";
		}
		int end = uri.indexOf('&', start);
		return uri.substring(start + 3, (end < 0) ? uri.length() : end);
	}

	/** One event stream: every message a chunk of the GET's response. */
	private static final class EventStream extends Peer {

		final Channel channel;

		EventStream(Channel channel) {
			super(Fanout.inbox(channel.eventLoop()));
			this.channel = channel;
		}

		@Override
		void write(ByteBuf message) {
			if (!this.channel.isWritable()) {
				message.release();
				this.channel.close();
				return;
			}
			this.channel.write(new DefaultHttpContent(message), this.channel.voidPromise());
		}

		@Override
		void flush() {
			this.channel.flush();
		}
	}

	/** One long-polling connection: messages queue on its loop until a poll takes them all in one body. */
	private static final class Poller extends Peer {

		private final List<ByteBuf> queue = new ArrayList<>();

		private int queuedBytes;

		private @Nullable MonoSink<ByteBuf> poll;

		Poller(Fanout.Inbox inbox) {
			super(inbox);
		}

		@Override
		void write(ByteBuf message) {
			if (this.queuedBytes > RawNettyServer.OUTBOUND_LIMIT) {
				message.release();
				return;
			}
			this.queue.add(message);
			this.queuedBytes += message.readableBytes();
		}

		@Override
		void flush() {
			if (this.poll != null && !this.queue.isEmpty()) {
				answer(this.poll);
			}
		}

		void attach(MonoSink<ByteBuf> sink) {
			if (this.inbox.loop.inEventLoop()) {
				attachHere(sink);
			}
			else {
				this.inbox.loop.execute(() -> attachHere(sink));
			}
		}

		private void attachHere(MonoSink<ByteBuf> sink) {
			if (this.poll != null) {
				this.poll.success();
			}
			if (this.queue.isEmpty()) {
				this.poll = sink;
			}
			else {
				answer(sink);
			}
		}

		private void answer(MonoSink<ByteBuf> sink) {
			ByteBuf body = ByteBufAllocator.DEFAULT.ioBuffer(this.queuedBytes);
			for (int i = 0; i < this.queue.size(); i++) {
				ByteBuf message = this.queue.get(i);
				body.writeBytes(message);
				message.release();
			}
			this.queue.clear();
			this.queuedBytes = 0;
			this.poll = null;
			sink.success(body);
		}

		void close() {
			if (this.poll != null) {
				this.poll.success();
				this.poll = null;
			}
			this.queue.forEach(ByteBuf::release);
			this.queue.clear();
		}
	}
}
