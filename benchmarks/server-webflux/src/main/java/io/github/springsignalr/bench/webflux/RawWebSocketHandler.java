package io.github.springsignalr.bench.webflux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The benchmark hub's work on a plain {@link WebSocketHandler}: each session has a unicast sink drained by
 * {@link WebSocketSession#send}; a broadcast is serialized once into a byte array that every session's
 * message wraps without copying. Messages are {@code {"op":..,"g":..,"t":..,"p":..}} in,
 * {@code {"t":..,"p":..}} out, {@code {"op":"joined"}} for a join.
 */
final class RawWebSocketHandler implements WebSocketHandler {

	private static final JsonFactory JSON = new JsonFactory();

	private static final byte[] JOINED = "{\"op\":\"joined\"}".getBytes(StandardCharsets.US_ASCII);

	private static final Sinks.EmitFailureHandler RETRY = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));

	private final Set<Peer> all = ConcurrentHashMap.newKeySet();

	private final Map<String, Set<Peer>> groups = new ConcurrentHashMap<>();

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		Peer peer = new Peer(session);
		all.add(peer);
		Mono<Void> input = session.receive().doOnNext((message) -> receive(peer, message)).then();
		Mono<Void> output = session.send(peer.out.asFlux());
		return Mono.zip(input, output).then().doFinally((signal) -> {
			all.remove(peer);
			groups.values().forEach((members) -> members.remove(peer));
			peer.out.tryEmitComplete();
		});
	}

	private void receive(Peer peer, WebSocketMessage message) {
		DataBuffer payload = message.getPayload();
		byte[] bytes = new byte[payload.readableByteCount()];
		payload.read(bytes);
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
			case "echo" -> peer.send(serialize(t, p));
			case "broadcast" -> sendAll(all, serialize(t, p));
			case "join" -> {
				groups.computeIfAbsent(required(group), (key) -> ConcurrentHashMap.newKeySet()).add(peer);
				peer.send(JOINED);
			}
			case "group" -> {
				Set<Peer> members = groups.get(required(group));
				if (members != null) {
					sendAll(members, serialize(t, p));
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

	private static byte[] serialize(long t, String p) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(p.length() + 32);
		try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), bytes)) {
			generator.writeStartObject();
			generator.writeNumberProperty("t", t);
			generator.writeStringProperty("p", p);
			generator.writeEndObject();
		}
		return bytes.toByteArray();
	}

	private static void sendAll(Set<Peer> members, byte[] message) {
		for (Peer member : members) {
			member.send(message);
		}
	}

	/** One session and the sink its outbound frames are queued in. */
	private static final class Peer {

		final WebSocketSession session;

		final Sinks.Many<WebSocketMessage> out = Sinks.many().unicast().onBackpressureBuffer();

		Peer(WebSocketSession session) {
			this.session = session;
		}

		void send(byte[] message) {
			// wrap shares the serialized bytes between every session of a broadcast
			out.emitNext(new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(message)),
					RETRY);
		}
	}
}
