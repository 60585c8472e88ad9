package io.github.springsignalr.legacy;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * The paths of a classic ASP.NET SignalR 2 endpoint: {@code {path}/negotiate}, {@code /ping},
 * {@code /connect} and the other suffixes, the base path and the suffix matched ignoring case (the
 * reference's {@code EndsWith(..., OrdinalIgnoreCase)}). Both web stacks route by it.
 */
public final class LegacyPaths {

	private static final Set<String> SUFFIXES = Set.of("negotiate", "ping", "connect", "reconnect", "poll", "start",
			"send", "abort", "hubs", "js");

	private static final Set<String> CONNECTION_SUFFIXES = Set.of("connect", "reconnect", "poll", "start", "send",
			"abort");

	private final String path;

	/**
	 * @param path the endpoint's base path, e.g. {@code /signalr}
	 */
	public LegacyPaths(String path) {
		this.path = SignalRRouteRegistry.key(path);
	}

	/** The base path, normalized ({@link SignalRRouteRegistry#key}). */
	public String path() {
		return this.path;
	}

	/**
	 * The suffix of a classic request's path (within the application), lower-cased, whatever its base;
	 * {@code null} when the path ends with none of the classic suffixes.
	 */
	public static @Nullable String suffixOf(String path) {
		String key = SignalRRouteRegistry.key(path);
		int slash = key.lastIndexOf('/');
		if (slash < 0) {
			return null;
		}
		String suffix = key.substring(slash + 1);
		return SUFFIXES.contains(suffix) ? suffix : null;
	}

	/** The base of a path (within the application) before its last segment, normalized. */
	public static String baseOf(String path) {
		String key = SignalRRouteRegistry.key(path);
		int slash = key.lastIndexOf('/');
		return (slash < 0) ? key : key.substring(0, slash);
	}

	/**
	 * Whether a path (within the application) is that of a request about an existing connection
	 * ({@code /connect}, {@code /reconnect}, {@code /poll}, {@code /start}, {@code /send}, {@code /abort}),
	 * which the node owning the connection serves.
	 */
	public boolean isConnectionPath(String path) {
		String suffix = suffix(path);
		return suffix != null && CONNECTION_SUFFIXES.contains(suffix);
	}

	/** Whether a path (within the application) is one of this endpoint's ({@code /signalr/negotiate}...). */
	public boolean isEndpointPath(String path) {
		return suffix(path) != null;
	}

	/** The suffix of a path of this endpoint, lower-cased; {@code null} for another path. */
	public @Nullable String suffix(String path) {
		String key = SignalRRouteRegistry.key(path);
		int slash = key.lastIndexOf('/');
		if (slash < 0 || !key.substring(0, slash).equals(this.path)) {
			return null;
		}
		return key.substring(slash + 1).toLowerCase(Locale.ROOT);
	}
}
