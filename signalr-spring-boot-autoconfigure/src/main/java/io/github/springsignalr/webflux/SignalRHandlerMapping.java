package io.github.springsignalr.webflux;

import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import reactor.core.publisher.Mono;

/**
 * Routes the requests of every SignalR endpoint: {@code {path}/negotiate}, the transports on
 * {@code {path}} itself, and {@code {path}/refresh} where authentication refresh is enabled. Paths match case-insensitively, as ASP.NET Core's routing does.
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
	protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
		String path = SignalRRouteRegistry.key(exchange.getRequest().getPath().pathWithinApplication().value());
		ConnectionRoute endpoint = this.registry.find(path);
		if (endpoint != null) {
			return Mono.just(this.handler.transport(endpoint));
		}
		if (path.endsWith(NEGOTIATE)) {
			endpoint = this.registry.find(SignalRRouteRegistry.key(path.substring(0, path.length() - NEGOTIATE.length())));
			if (endpoint != null) {
				return Mono.just(this.handler.negotiate(endpoint));
			}
		}
		if (path.endsWith(REFRESH)) {
			endpoint = this.registry.find(SignalRRouteRegistry.key(path.substring(0, path.length() - REFRESH.length())));
			if (endpoint != null && this.handler.authenticationRefresh(endpoint)) {
				return Mono.just(this.handler.refresh(endpoint));
			}
		}
		return Mono.empty();
	}
}
