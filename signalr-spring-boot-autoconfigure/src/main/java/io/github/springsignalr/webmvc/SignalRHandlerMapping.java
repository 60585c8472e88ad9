package io.github.springsignalr.webmvc;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * Routes the servlet requests of every SignalR endpoint: {@code {path}/negotiate}, the transports on
 * {@code {path}} itself, and {@code {path}/refresh} where authentication refresh is enabled, ahead of the
 * application's controllers. Paths match case-insensitively, as
 * ASP.NET Core's routing does.
 */
public final class SignalRHandlerMapping extends AbstractHandlerMapping {

	private static final String NEGOTIATE = "/negotiate";

	private static final String REFRESH = "/refresh";

	private final SignalRRouteRegistry registry;

	private final SignalRRequestHandler handler;

	public SignalRHandlerMapping(SignalRRouteRegistry registry, SignalRRequestHandler handler) {
		this.registry = registry;
		this.handler = handler;
		setOrder(-100);
	}

	/** The handler of negotiate and transport requests. */
	public SignalRRequestHandler requestHandler() {
		return this.handler;
	}

	@Override
	protected @Nullable HttpRequestHandler getHandlerInternal(HttpServletRequest request) {
		String path = SignalRRouteRegistry.key(initLookupPath(request));
		ConnectionRoute transports = this.registry.find(path);
		if (transports != null) {
			return (req, res) -> this.handler.transport(req, res, transports);
		}
		if (path.endsWith(REFRESH)) {
			ConnectionRoute refreshed = this.registry
				.find(SignalRRouteRegistry.key(path.substring(0, path.length() - REFRESH.length())));
			if (refreshed != null && this.handler.authenticationRefresh(refreshed)) {
				return (req, res) -> this.handler.refresh(req, res, refreshed);
			}
		}
		if (path.endsWith(NEGOTIATE)) {
			ConnectionRoute negotiated = this.registry
				.find(SignalRRouteRegistry.key(path.substring(0, path.length() - NEGOTIATE.length())));
			if (negotiated != null) {
				return (req, res) -> this.handler.negotiate(req, res, negotiated);
			}
		}
		return null;
	}
}
