package io.github.springsignalr.webmvc;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.legacy.LegacyPaths;

/**
 * Routes the servlet requests of the classic ASP.NET SignalR 2 endpoint: {@code {path}/negotiate},
 * {@code /ping}, {@code /connect} and the others, the path and suffix matched ignoring case, ahead of the
 * ASP.NET Core routes and the application's controllers. With {@link #setPersistentConnections persistent
 * connections} on, the same suffixes under the path of a raw {@link io.github.springsignalr.ConnectionHandler}
 * route ({@code @ConnectionMapping("/echo")}: {@code /echo/connect} and so on) reach that handler as
 * classic persistent connections; there only a {@code GET} {@code /negotiate} is classic (ASP.NET Core
 * clients POST theirs to the same URL).
 */
public final class LegacyHandlerMapping extends AbstractHandlerMapping {

	private final LegacyPaths paths;

	private final LegacyRequestHandler handler;

	private @Nullable SignalRRouteRegistry routes;

	private @Nullable Function<ConnectionRoute, LegacyRequestHandler> persistent;

	private final Map<ConnectionRoute, LegacyRequestHandler> persistentHandlers = new ConcurrentHashMap<>();

	/**
	 * @param path the endpoint's base path, e.g. {@code /signalr}
	 */
	public LegacyHandlerMapping(String path, LegacyRequestHandler handler) {
		this.paths = new LegacyPaths(path);
		this.handler = handler;
		// before the ASP.NET Core routes (-100): a classic GET of a raw handler's negotiate is ours
		setOrder(-101);
	}

	/** The endpoint's handler. */
	public LegacyRequestHandler requestHandler() {
		return this.handler;
	}

	/** The endpoint's paths. */
	public LegacyPaths paths() {
		return this.paths;
	}

	/**
	 * Serves the raw connection handlers of {@code routes} to classic clients too, at their own paths,
	 * each with the handler {@code factory} makes for it (once).
	 */
	public void setPersistentConnections(SignalRRouteRegistry routes,
			Function<ConnectionRoute, LegacyRequestHandler> factory) {
		this.routes = routes;
		this.persistent = factory;
	}

	/** The handlers of the persistent connection endpoints used so far. */
	public Collection<LegacyRequestHandler> persistentHandlers() {
		return this.persistentHandlers.values();
	}

	@Override
	protected @Nullable HttpRequestHandler getHandlerInternal(HttpServletRequest request) {
		String path = initLookupPath(request);
		String suffix = LegacyPaths.suffixOf(path);
		if (suffix == null) {
			return null;
		}
		String base = LegacyPaths.baseOf(path);
		if (base.equals(this.paths.path())) {
			return this.handler::handle;
		}
		SignalRRouteRegistry routes = this.routes;
		Function<ConnectionRoute, LegacyRequestHandler> persistent = this.persistent;
		ConnectionRoute route = (routes != null) ? routes.find(base) : null;
		if (persistent == null || route == null || route.handler() instanceof HubConnectionHandler
				|| (suffix.equals("negotiate") && !HttpMethod.GET.matches(request.getMethod()))) {
			return null;
		}
		return this.persistentHandlers.computeIfAbsent(route, persistent)::handle;
	}
}
