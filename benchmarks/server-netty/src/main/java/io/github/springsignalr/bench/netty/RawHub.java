package io.github.springsignalr.bench.netty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The benchmark hub's work for one transport: messages {@code {"op":"echo"|"broadcast"|"join"|"group","g":..,
 * "t":..,"p":..}} (one or more in a row) parsed with Jackson's streaming parser; replies {@code {"t":..,"p":..}}
 * to the caller, everyone or a group, serialized once (with the transport's framing around it) into one buffer
 * that every recipient shares; {@code join} answers {@code {"op":"joined"}}. Everyone is kept grouped by event
 * loop, so a broadcast hands each loop its set without touching the peers on the sender's thread.
 */
final class RawHub {

	private static final JsonFactory JSON = new JsonFactory();

	private final byte[] prefix;

	private final byte[] suffix;

	private final ByteBuf joined;

	private final Map<Fanout.Inbox, Set<Peer>> all = new ConcurrentHashMap<>();

	private final Map<String, Set<Peer>> groups = new ConcurrentHashMap<>();

	/** A hub whose messages are framed as {@code prefix + json + suffix}. */
	RawHub(String prefix, String suffix) {
		this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
		this.suffix = suffix.getBytes(StandardCharsets.US_ASCII);
		this.joined = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
			.writeBytes(this.prefix)
			.writeBytes("{\"op\":\"joined\"}".getBytes(StandardCharsets.US_ASCII))
			.writeBytes(this.suffix));
	}

	void add(Peer peer) {
		this.all.computeIfAbsent(peer.inbox, (inbox) -> ConcurrentHashMap.newKeySet()).add(peer);
	}

	void remove(Peer peer) {
		Set<Peer> loop = this.all.get(peer.inbox);
		if (loop != null) {
			loop.remove(peer);
		}
		this.groups.values().forEach((members) -> members.remove(peer));
	}

	/** Handles the messages in {@code bytes[offset, offset + length)} sent by {@code from}. */
	void receive(Peer from, byte[] bytes, int offset, int length) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String op = null;
				String group = null;
				long t = 0;
				String p = "";
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
				if (op != null) {
					dispatch(from, op, group, t, p);
				}
			}
		}
	}

	private void dispatch(Peer from, String op, @Nullable String group, long t, String p) {
		switch (op) {
			case "echo" -> Fanout.send(from, serialize(t, p));
			case "broadcast" -> {
				ByteBuf message = serialize(t, p);
				try {
					for (Map.Entry<Fanout.Inbox, Set<Peer>> loop : this.all.entrySet()) {
						Fanout.sendLoop(loop.getKey(), loop.getValue(), message.retain());
					}
				}
				finally {
					message.release();
				}
			}
			case "join" -> {
				this.groups.computeIfAbsent(required(group), (key) -> ConcurrentHashMap.newKeySet()).add(from);
				Fanout.send(from, this.joined.duplicate());
			}
			case "group" -> {
				Set<Peer> members = this.groups.get(required(group));
				if (members != null) {
					Fanout.sendAll(members, serialize(t, p));
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

	private ByteBuf serialize(long t, String p) {
		ByteBuf buffer = ByteBufAllocator.DEFAULT.ioBuffer(p.length() + 32 + this.prefix.length);
		buffer.writeBytes(this.prefix);
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
		return buffer.writeBytes(this.suffix);
	}
}
