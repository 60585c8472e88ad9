package io.github.springsignalr.connection;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The endpoints of the application by path (matched case-insensitively, as ASP.NET Core routes).
 */
public final class SignalRRouteRegistry {

	private final Map<String, ConnectionRoute> endpoints = new ConcurrentHashMap<>();

	/**
	 * Adds an endpoint.
	 * @throws IllegalStateException when its path is taken
	 */
	public void register(ConnectionRoute endpoint) {
		ConnectionRoute previous = this.endpoints.putIfAbsent(key(endpoint.path()), endpoint);
		if (previous != null) {
			throw new IllegalStateException("Both " + previous.name() + " and " + endpoint.name()
					+ " are mapped to path " + endpoint.path());
		}
	}

	/** Normalizes a path for lookup: lower case, no trailing slash. */
	public static String key(String path) {
		String key = path.toLowerCase(Locale.ROOT);
		while (key.length() > 1 && key.endsWith("/")) {
			key = key.substring(0, key.length() - 1);
		}
		return key;
	}

	/** The endpoint mapped to a normalized path. */
	public @Nullable ConnectionRoute find(String normalizedPath) {
		return this.endpoints.get(normalizedPath);
	}

	/** Whether a request path is that of an endpoint, of its negotiate or of its authentication refresh. */
	public boolean matches(String path) {
		String key = key(path);
		if (this.endpoints.containsKey(key)) {
			return true;
		}
		return (key.endsWith("/negotiate") && this.endpoints.containsKey(key(key.substring(0, key.length() - 10))))
				|| (key.endsWith("/refresh") && this.endpoints.containsKey(key(key.substring(0, key.length() - 8))));
	}

	/** Every endpoint. */
	public Collection<ConnectionRoute> endpoints() {
		return this.endpoints.values();
	}
}
