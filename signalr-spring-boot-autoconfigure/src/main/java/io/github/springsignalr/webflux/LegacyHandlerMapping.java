package io.github.springsignalr.webflux;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyHubProtocol;

/**
 * Routes the requests of the classic ASP.NET SignalR 2 endpoint: {@code {path}/negotiate},
 * {@code /ping}, {@code /connect} and the others, the path and suffix matched ignoring case.
 */
public final class LegacyHandlerMapping extends AbstractHandlerMapping {

	private static final Set<String> SUFFIXES = Set.of("negotiate", "ping", "connect", "reconnect", "poll", "start",
			"send", "abort");

	private static final Set<String> CONNECTION_SUFFIXES = Set.of("connect", "reconnect", "poll", "start", "send",
			"abort");

	private final String path;

	private final LegacyRequestHandler handler;

	/**
	 * @param path the endpoint's base path, e.g. {@code /signalr}
	 */
	public LegacyHandlerMapping(String path, LegacyRequestHandler handler) {
		this.path = SignalRRouteRegistry.key(path);
		this.handler = handler;
		setOrder(-99);
	}

	/** The endpoint's handler. */
	public LegacyRequestHandler requestHandler() {
		return this.handler;
	}

	@Override
	protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
		String suffix = suffix(exchange.getRequest().getPath().pathWithinApplication().value());
		return (suffix != null && SUFFIXES.contains(suffix)) ? Mono.just(this.handler) : Mono.empty();
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

	/** The suffix of a path of this endpoint, lower-cased; {@code null} for another path. */
	private @Nullable String suffix(String path) {
		String key = SignalRRouteRegistry.key(path);
		int slash = key.lastIndexOf('/');
		if (slash < 0 || !key.substring(0, slash).equals(this.path)) {
			return null;
		}
		return key.substring(slash + 1).toLowerCase(Locale.ROOT);
	}

	/**
	 * The hubs of the application's endpoints, as classic clients reach them: each hub's handler with the
	 * classic encoding of its messages.
	 */
	public static List<LegacyHub> hubs(SignalRRouteRegistry registry, JsonMapper mapper) {
		List<LegacyHub> hubs = new ArrayList<>();
		for (ConnectionRoute endpoint : registry.endpoints()) {
			if (endpoint.handler() instanceof HubConnectionHandler handler) {
				hubs.add(new LegacyHub(handler.hubName(), handler, new LegacyHubProtocol(handler.hubName(), mapper,
						handler.options().enableDetailedErrors())));
			}
		}
		return hubs;
	}
}
