package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.legacy.HubProxyScript;
import io.github.springsignalr.legacy.Jsonp;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyRequestException;
import io.github.springsignalr.legacy.LegacyTransportName;

/**
 * The classic ASP.NET SignalR 2 hub endpoint ({@code /signalr} by default): {@code /negotiate},
 * {@code /ping}, {@code /connect}, {@code /reconnect}, {@code /poll}, {@code /start}, {@code /send},
 * {@code /abort} and the generated proxy script {@code /hubs} (or {@code /js}), told apart by the path's
 * suffix (ignoring case), on webSockets, serverSentEvents, foreverFrame and longPolling, with the
 * reference's statuses and texts for refused requests.
 */
public final class LegacyRequestHandler implements WebHandler {

	private static final Log logger = LogFactory.getLog(LegacyRequestHandler.class);

	static final MediaType JSON = new MediaType("application", "json", StandardCharsets.UTF_8);

	static final MediaType JAVASCRIPT = new MediaType("application", "javascript", StandardCharsets.UTF_8);

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private final LegacyConnections connections;

	private final LegacyStreams streams;

	private final LegacyWebSocket webSockets;

	private volatile @Nullable HubProxyScript proxyScript;

	private @Nullable LegacyHubAuthorization authorization;

	private @Nullable RouteAuthorizer routeAuthorizer;

	public LegacyRequestHandler(LegacyConnections connections) {
		this.connections = connections;
		this.streams = new LegacyStreams(connections.options());
		this.webSockets = new LegacyWebSocket(connections.options());
	}

	/**
	 * Lets a client use only the hubs whose routes {@code authorizer} lets its negotiate request reach
	 * (decided at negotiate; without one every hub may be used).
	 */
	public void setAuthorizer(RouteAuthorizer authorizer, SignalRRouteRegistry routes) {
		this.authorization = new LegacyHubAuthorization(authorizer, routes);
	}

	/**
	 * Lets a request reach this persistent connection endpoint only if {@code authorizer} lets it reach
	 * the endpoint's route (as every ASP.NET Core request to it); refused with its status, no body.
	 */
	public void setRouteAuthorizer(RouteAuthorizer authorizer) {
		this.routeAuthorizer = authorizer;
	}

	/** The connections of this endpoint. */
	public LegacyConnections connections() {
		return this.connections;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		response.getHeaders().set("X-Content-Type-Options", "nosniff");
		String path = exchange.getRequest().getPath().value();
		int slash = path.lastIndexOf('/');
		String suffix = path.substring(slash + 1).toLowerCase(Locale.ROOT);
		LegacyRequest request = LegacyRequest.of(exchange);
		try {
			Jsonp.check(request.query("callback"), this.connections.options().jsonp());
		}
		catch (LegacyRequestException ex) {
			return text(response, ex.status(), ex.getMessage());
		}
		ConnectionRoute route = this.connections.route();
		RouteAuthorizer authorizer = this.routeAuthorizer;
		Mono<HttpStatus> refusal = (route != null && authorizer != null) ? authorizer.authorize(exchange, route)
				: Mono.empty();
		return refusal.map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((refused) -> {
			if (refused.isPresent()) {
				response.setStatusCode(refused.get());
				return response.setComplete();
			}
			return serve(exchange, request, path, slash, suffix);
		});
	}

	private Mono<Void> serve(ServerWebExchange exchange, LegacyRequest request, String path, int slash, String suffix) {
		ServerHttpResponse response = exchange.getResponse();
		return exchange.getPrincipal()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((user) -> route(request, suffix, path.substring(0, Math.max(slash, 0)), user.orElse(null)))
			.onErrorResume(LegacyRequestException.class, (ex) -> text(response, ex.status(), ex.getMessage()));
	}

	private Mono<Void> route(LegacyRequest request, String suffix, String url, @Nullable Principal user) {
		ServerHttpResponse response = request.exchange().getResponse();
		switch (suffix) {
			case "negotiate" -> {
				List<LegacyHub> listed = this.connections.hubs()
					.resolve(this.connections.mapper(), request.query("connectionData"));
				response.getHeaders().setCacheControl("no-cache, no-store");
				LegacyHubAuthorization authorization = this.authorization;
				if (authorization == null) {
					return json(request, this.connections.negotiate(user, request.connectionRequest(), url,
							request.query("clientProtocol"), true));
				}
				return authorization.authorize(request.exchange(), this.connections.hubs().all()).flatMap((allowed) -> {
					if (!listed.isEmpty() && listed.stream().noneMatch(allowed.hubs()::contains)) {
						response.setStatusCode(allowed.refusal());
						return response.setComplete();
					}
					return json(request, this.connections.negotiate(user, request.connectionRequest(), url,
							request.query("clientProtocol"), true, allowed.hubs()::contains));
				});
			}
			case "ping" -> {
				return json(request, LegacyFraming.PONG);
			}
			case "hubs", "js" -> {
				response.getHeaders().setContentType(MediaType.parseMediaType(HubProxyScript.CONTENT_TYPE));
				return write(response, proxyScript().render(url));
			}
			case "connect", "reconnect", "poll", "start", "send", "abort" -> {
				return transportRequest(request, suffix, user);
			}
			default -> {
				response.setStatusCode(HttpStatus.NOT_FOUND);
				return response.setComplete();
			}
		}
	}

	/** The proxy script of the endpoint's hubs, built on first use (hubs are all known by then). */
	private HubProxyScript proxyScript() {
		HubProxyScript script = this.proxyScript;
		if (script == null) {
			script = HubProxyScript.of(this.connections.hubs().all());
			this.proxyScript = script;
		}
		return script;
	}

	private Mono<Void> transportRequest(LegacyRequest request, String suffix, @Nullable Principal user) {
		ServerHttpResponse response = request.exchange().getResponse();
		List<LegacyHub> hubs = this.connections.hubs().resolve(this.connections.mapper(),
				request.query("connectionData"));
		LegacyTransportName transport = LegacyTransportName.of(request.query("transport"));
		LegacyConnection connection = this.connections.find(request.query("connectionToken"), user);
		boolean upgrade = "websocket".equalsIgnoreCase(request.exchange().getRequest().getHeaders().getUpgrade());
		transport.check(suffix, upgrade);
		boolean opens = suffix.equals("connect") || suffix.equals("reconnect");
		long frameId = (transport == LegacyTransportName.FOREVER_FRAME && opens)
				? LegacyTransportName.frameId(request.query("frameId")) : -1;
		switch (suffix) {
			case "start" -> {
				response.getHeaders().setCacheControl("no-cache, no-store");
				return connection.connected().then(json(request, LegacyFraming.STARTED));
			}
			case "abort" -> {
				return connection.abort().then(text(response, 200, ""));
			}
			case "send" -> {
				return LegacySendBody.read(request).flatMap((read) -> {
					String data = read.formOrQuery("data");
					Mono<String> result = (data != null) ? connection.receive(data) : Mono.empty();
					response.getHeaders().setCacheControl("no-cache, no-store");
					return result.defaultIfEmpty("").flatMap((json) -> json(request, json));
				});
			}
			default -> {
				boolean connect = suffix.equals("connect");
				if (connect) {
					connection.open(hubs, request.connectionRequest());
				}
				return receiveRequest(request, suffix, transport, connection, frameId);
			}
		}
	}

	private Mono<Void> receiveRequest(LegacyRequest request, String suffix, LegacyTransportName transport,
			LegacyConnection connection, long frameId) {
		boolean connect = suffix.equals("connect");
		// OnConnected at /connect for protocols before 1.4 (at /start after); OnReconnected at /reconnect
		Mono<Void> connected = connect ? (connection.connectsAtStart() ? Mono.empty() : connection.connected())
				: suffix.equals("reconnect") ? connection.reconnected() : Mono.empty();
		if (transport == LegacyTransportName.WEB_SOCKETS) {
			return this.webSockets.serve(request, connection, !connect, connected);
		}
		if (transport == LegacyTransportName.SERVER_SENT_EVENTS) {
			return this.streams.eventStream(request, connection, !connect, connected);
		}
		if (transport == LegacyTransportName.FOREVER_FRAME) {
			return this.streams.foreverFrame(request, connection, !connect, connected, frameId);
		}
		if (connect) {
			// the init's cursor comes before OnConnected (protocol < 1.4): what it sends comes with the next poll
			return Mono.defer(() -> {
				String init = connection.longPollConnect();
				return connected.then(json(request, init));
			});
		}
		return connected.then(request.exchange().getFormData())
			.flatMap((form) -> this.streams.longPoll(request.withForm(form), connection));
	}

	/**
	 * Answers a JSON body, or with JSONP ({@code callback}) the script {@code callback(<json>);} (an
	 * empty body stays empty).
	 */
	static Mono<Void> json(LegacyRequest request, String body) {
		ServerHttpResponse response = request.exchange().getResponse();
		String callback = request.query("callback");
		if (callback == null) {
			response.getHeaders().setContentType(JSON);
			return write(response, body);
		}
		response.getHeaders().setContentType(JAVASCRIPT);
		return write(response, body.isEmpty() ? body : Jsonp.wrap(callback, body));
	}

	static Mono<Void> text(ServerHttpResponse response, int status, String body) {
		if (response.isCommitted()) {
			logger.debug("Cannot answer " + status + " on a committed response: " + body);
			return Mono.empty();
		}
		response.setRawStatusCode(status);
		response.getHeaders().setContentType(TEXT);
		return write(response, body);
	}

	private static Mono<Void> write(ServerHttpResponse response, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(bytes.length);
		response.getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}
}
