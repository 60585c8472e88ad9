package io.github.springsignalr.bench.netty;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A WebSocket server at {@code /raw} written straight on Reactor Netty, doing the benchmark hub's work with
 * the least machinery: text frames {@code {"op":"echo"|"broadcast"|"join"|"group","g":..,"t":..,"p":..}}
 * parsed with Jackson's streaming parser; replies {@code {"t":..,"p":..}} go to the caller, everyone or a
 * group, serialized once per broadcast into one buffer that every connection's frame shares; {@code join}
 * answers {@code {"op":"joined"}}.
 *
 * <p>Like our server's 1 MB outbound buffer, a connection with more than 1 MB of unsent frames is closed.
 * Usage: {@code java -jar server-netty.jar [port]}; prints {@code READY <port>} once listening.
 */
public final class RawNettyServer {

	private static final JsonFactory JSON = new JsonFactory();

	private static final int OUTBOUND_LIMIT = 1024 * 1024;

	private final Set<Channel> all = ConcurrentHashMap.newKeySet();

	private final Map<String, Set<Channel>> groups = new ConcurrentHashMap<>();

	private RawNettyServer() {
	}

	public static void main(String[] args) {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("port", 0);
		RawNettyServer server = new RawNettyServer();
		DisposableServer bound = HttpServer.create()
			.host("0.0.0.0")
			.port(port)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(OUTBOUND_LIMIT / 2, OUTBOUND_LIMIT))
			.route((routes) -> routes.ws("/raw", server::handle,
					WebsocketServerSpec.builder().maxFramePayloadLength(65536).build()))
			.bindNow();
		System.out.println("READY " + bound.port());
		bound.onDispose().block();
	}

	private Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
		Channel[] holder = new Channel[1];
		in.withConnection((connection) -> {
			Channel channel = connection.channel();
			holder[0] = channel;
			all.add(channel);
			channel.closeFuture().addListener((future) -> {
				all.remove(channel);
				groups.values().forEach((members) -> members.remove(channel));
			});
		});
		return in.aggregateFrames(65536)
			.receiveFrames()
			.doOnNext((frame) -> receive(holder[0], frame))
			.then();
	}

	private void receive(Channel channel, WebSocketFrame frame) {
		if (!(frame instanceof TextWebSocketFrame)) {
			return;
		}
		ByteBuf content = frame.content();
		byte[] bytes = new byte[content.readableBytes()];
		content.getBytes(content.readerIndex(), bytes);
		String op = null;
		String group = null;
		long t = 0;
		String p = "";
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				switch (name) {
					case "op" -> op = parser.getString();
					case "g" -> group = parser.getString();
					case "t" -> t = parser.getLongValue();
					case "p" -> p = parser.getString();
					default -> parser.skipChildren();
				}
			}
		}
		if (op == null) {
			return;
		}
		switch (op) {
			case "echo" -> send(channel, serialize(channel, t, p));
			case "broadcast" -> sendAll(all, serialize(channel, t, p));
			case "join" -> {
				groups.computeIfAbsent(required(group), (key) -> ConcurrentHashMap.newKeySet()).add(channel);
				ByteBuf joined = channel.alloc().buffer(16);
				joined.writeCharSequence("{\"op\":\"joined\"}", java.nio.charset.StandardCharsets.US_ASCII);
				send(channel, joined);
			}
			case "group" -> {
				Set<Channel> members = groups.get(required(group));
				if (members != null) {
					sendAll(members, serialize(channel, t, p));
				}
			}
			default -> {
			}
		}
	}

	private static String required(@Nullable String group) {
		if (group == null) {
			throw new IllegalArgumentException("no group");
		}
		return group;
	}

	private static ByteBuf serialize(Channel channel, long t, String p) {
		ByteBuf buffer = channel.alloc().buffer(p.length() + 32);
		try (OutputStream stream = new ByteBufOutputStream(buffer);
				JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), stream)) {
			generator.writeStartObject();
			generator.writeNumberProperty("t", t);
			generator.writeStringProperty("p", p);
			generator.writeEndObject();
		}
		catch (IOException ex) {
			buffer.release();
			throw new IllegalStateException(ex);
		}
		return buffer;
	}

	/** Writes one shared, serialized message to every member; each frame holds its own reference. */
	private static void sendAll(Set<Channel> members, ByteBuf message) {
		try {
			for (Channel member : members) {
				send(member, message.retainedDuplicate());
			}
		}
		finally {
			message.release();
		}
	}

	private static void send(Channel channel, ByteBuf message) {
		if (!channel.isWritable()) {
			message.release();
			channel.close();
			return;
		}
		channel.write(new TextWebSocketFrame(message), channel.voidPromise());
		// one flush per channel per event-loop pass: writes from other threads are queued before it
		java.util.concurrent.atomic.AtomicBoolean scheduled = channel.attr(FLUSH_SCHEDULED).get();
		if (scheduled == null) {
			scheduled = new java.util.concurrent.atomic.AtomicBoolean();
			java.util.concurrent.atomic.AtomicBoolean existing = channel.attr(FLUSH_SCHEDULED).setIfAbsent(scheduled);
			if (existing != null) {
				scheduled = existing;
			}
		}
		if (scheduled.compareAndSet(false, true)) {
			java.util.concurrent.atomic.AtomicBoolean flag = scheduled;
			channel.eventLoop().execute(() -> {
				flag.set(false);
				channel.flush();
			});
		}
	}

	private static final io.netty.util.AttributeKey<java.util.concurrent.atomic.AtomicBoolean> FLUSH_SCHEDULED =
			io.netty.util.AttributeKey.valueOf("bench.flushScheduled");
}
