package io.github.springsignalr.legacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.hub.HubConnectionHandler;

/**
 * The hubs classic clients may name, looked up case-insensitively, and the reading of a request's
 * {@code connectionData} ({@code [{"name":"chathub"}]}) with the reference's refusals.
 */
public final class LegacyHubs {

	/** The longest {@code connectionData} accepted. */
	static final int MAX_CONNECTION_DATA = 4096;

	private final Supplier<? extends Collection<LegacyHub>> source;

	private volatile @Nullable Map<String, LegacyHub> hubs;

	/** The hubs, by their canonical names. */
	public LegacyHubs(Collection<LegacyHub> hubs) {
		this(() -> hubs);
	}

	/** The hubs {@code source} gives on first use (once the application's hubs are all mapped). */
	public LegacyHubs(Supplier<? extends Collection<LegacyHub>> source) {
		this.source = source;
	}

	/**
	 * The hubs of the application's endpoints, as classic clients reach them: each hub's handler with the
	 * classic encoding of its messages, read from {@code registry} on first use.
	 */
	public static LegacyHubs of(SignalRRouteRegistry registry, JsonMapper mapper) {
		return new LegacyHubs(() -> {
			List<LegacyHub> hubs = new ArrayList<>();
			for (ConnectionRoute endpoint : registry.endpoints()) {
				if (endpoint.handler() instanceof HubConnectionHandler handler) {
					hubs.add(new LegacyHub(handler.hubName(), handler, new LegacyHubProtocol(handler.hubName(), mapper,
							handler.options().enableDetailedErrors()), endpoint));
				}
			}
			return hubs;
		});
	}

	private Map<String, LegacyHub> hubs() {
		Map<String, LegacyHub> hubs = this.hubs;
		if (hubs == null) {
			hubs = new LinkedHashMap<>();
			for (LegacyHub hub : this.source.get()) {
				hubs.put(key(hub.name()), hub);
			}
			this.hubs = hubs;
		}
		return hubs;
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	/** The hub of a name, ignoring case. */
	public @Nullable LegacyHub find(String name) {
		return hubs().get(key(name));
	}

	/** Every hub. */
	public Collection<LegacyHub> all() {
		return hubs().values();
	}

	/**
	 * The hubs a request's {@code connectionData} lists; none when it is absent or empty.
	 * @throws LegacyRequestException 400 for malformed data, an unknown hub or the same hub twice
	 */
	public List<LegacyHub> resolve(JsonMapper mapper, @Nullable String connectionData) {
		if (connectionData == null || connectionData.isBlank()) {
			return List.of();
		}
		if (connectionData.length() > MAX_CONNECTION_DATA) {
			throw LegacyRequestException.badRequest("Protocol error: connectionData is too long.");
		}
		JsonNode root;
		try {
			root = mapper.readTree(connectionData);
		}
		catch (JacksonException ex) {
			root = null;
		}
		if (root == null || !root.isArray()) {
			throw LegacyRequestException.badRequest("Protocol error: Invalid connectionData.");
		}
		List<LegacyHub> listed = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (JsonNode entry : root) {
			String name = name(entry);
			if (name == null) {
				throw LegacyRequestException.badRequest("Protocol error: Invalid connectionData.");
			}
			LegacyHub hub = find(name);
			if (hub == null) {
				throw LegacyRequestException.badRequest("'" + name + "' Hub could not be resolved.");
			}
			if (!seen.add(key(hub.name()))) {
				throw LegacyRequestException.badRequest("Duplicate Hub names found.");
			}
			listed.add(hub);
		}
		return listed;
	}

	/** The {@code name} of an entry, the key bound case-insensitively. */
	private static @Nullable String name(JsonNode entry) {
		if (!entry.isObject()) {
			return null;
		}
		for (Map.Entry<String, JsonNode> property : entry.properties()) {
			if (property.getKey().equalsIgnoreCase("name") && property.getValue().isString()) {
				return property.getValue().asString();
			}
		}
		return null;
	}
}
