package io.github.springsignalr.bench.tomcat;

import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The benchmark hub's work, as {@code server-netty}'s {@code RawHub} does it: messages {@code {"op":"echo"|
 * "broadcast"|"join"|"group","g":..,"t":..,"p":..}} (one or more in a row) parsed with Jackson's streaming
 * parser; replies {@code {"t":..,"p":..}} to the caller, everyone or a group, serialized once per fan-out;
 * {@code join} answers {@code {"op":"joined"}}.
 */
final class RawTomcatHub {

	private static final JsonFactory JSON = new JsonFactory();

	private static final String JOINED = "{\"op\":\"joined\"}";

	private final Set<RawEndpoint> all = ConcurrentHashMap.newKeySet();

	private final Map<String, Set<RawEndpoint>> groups = new ConcurrentHashMap<>();

	void add(RawEndpoint peer) {
		this.all.add(peer);
	}

	void remove(RawEndpoint peer) {
		this.all.remove(peer);
		this.groups.values().forEach((members) -> members.remove(peer));
	}

	/** Handles the messages in {@code text} sent by {@code from}. */
	void receive(RawEndpoint from, String text) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), text)) {
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

	private void dispatch(RawEndpoint from, String op, @Nullable String group, long t, String p) {
		switch (op) {
			case "echo" -> from.send(serialize(t, p));
			case "broadcast" -> {
				String message = serialize(t, p);
				for (RawEndpoint peer : this.all) {
					peer.send(message);
				}
			}
			case "join" -> {
				this.groups.computeIfAbsent(required(group), (key) -> ConcurrentHashMap.newKeySet()).add(from);
				from.send(JOINED);
			}
			case "group" -> {
				Set<RawEndpoint> members = this.groups.get(required(group));
				if (members != null) {
					String message = serialize(t, p);
					for (RawEndpoint peer : members) {
						peer.send(message);
					}
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

	private static String serialize(long t, String p) {
		StringWriter writer = new StringWriter(p.length() + 32);
		try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), writer)) {
			generator.writeStartObject();
			generator.writeNumberProperty("t", t);
			generator.writeStringProperty("p", p);
			generator.writeEndObject();
		}
		return writer.toString();
	}
}
