package io.github.springsignalr.webflux;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
			"send", "abort", "hubs", "js");

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
		String path = SignalRRouteRegistry.key(exchange.getRequest().getPath().pathWithinApplication().value());
		int slash = path.lastIndexOf('/');
		if (slash < 0 || !path.substring(0, slash).equals(this.path)
				|| !SUFFIXES.contains(path.substring(slash + 1).toLowerCase(Locale.ROOT))) {
			return Mono.empty();
		}
		return Mono.just(this.handler);
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
