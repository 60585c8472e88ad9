package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

import io.github.springsignalr.TransportType;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.legacy.HubProxyScript;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyRequestException;

/**
 * The classic ASP.NET SignalR 2 hub endpoint ({@code /signalr} by default): {@code /negotiate},
 * {@code /ping}, {@code /connect}, {@code /reconnect}, {@code /poll}, {@code /start}, {@code /send},
 * {@code /abort} and the generated proxy script {@code /hubs} (or {@code /js}), told apart by the path's
 * suffix (ignoring case), on webSockets, serverSentEvents and longPolling, with the reference's statuses
 * and texts for refused requests.
 */
public final class LegacyRequestHandler implements WebHandler {

	private static final Log logger = LogFactory.getLog(LegacyRequestHandler.class);

	static final MediaType JSON = new MediaType("application", "json", StandardCharsets.UTF_8);

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private final LegacyConnections connections;

	private final LegacyStreams streams;

	private final LegacyWebSocket webSockets;

	private volatile @Nullable HubProxyScript proxyScript;

	private @Nullable LegacyHubAuthorization authorization;

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
		if (request.query("callback") != null && !this.connections.options().jsonp()) {
			return text(response, 403, "Forbidden: JSONP is disabled.");
		}
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
					return json(response, this.connections.negotiate(user, request.connectionRequest(), url,
							request.query("clientProtocol"), true));
				}
				return authorization.authorize(request.exchange(), this.connections.hubs().all()).flatMap((allowed) -> {
					if (!listed.isEmpty() && listed.stream().noneMatch(allowed.hubs()::contains)) {
						response.setStatusCode(allowed.refusal());
						return response.setComplete();
					}
					return json(response, this.connections.negotiate(user, request.connectionRequest(), url,
							request.query("clientProtocol"), true, allowed.hubs()::contains));
				});
			}
			case "ping" -> {
				return json(response, "{ \"Response\": \"pong\" }");
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
			Map<String, HubDescriptor> descriptors = new HashMap<>();
			for (LegacyHub hub : this.connections.hubs().all()) {
				descriptors.put(hub.name(), hub.handler().dispatcher().descriptor());
			}
			script = new HubProxyScript(descriptors);
			this.proxyScript = script;
		}
		return script;
	}

	private Mono<Void> transportRequest(LegacyRequest request, String suffix, @Nullable Principal user) {
		ServerHttpResponse response = request.exchange().getResponse();
		List<LegacyHub> hubs = this.connections.hubs().resolve(this.connections.mapper(),
				request.query("connectionData"));
		TransportType transport = transport(request.query("transport"));
		LegacyConnection connection = this.connections.find(request.query("connectionToken"), user);
		boolean upgrade = "websocket".equalsIgnoreCase(request.exchange().getRequest().getHeaders().getUpgrade());
		if (transport == TransportType.WEB_SOCKETS && (suffix.equals("send")
				|| ((suffix.equals("connect") || suffix.equals("reconnect")) && !upgrade))) {
			throw new LegacyRequestException(400, "Not a valid web socket request.");
		}
		switch (suffix) {
			case "start" -> {
				response.getHeaders().setCacheControl("no-cache, no-store");
				return connection.connected().then(json(response, "{ \"Response\": \"started\" }"));
			}
			case "abort" -> {
				return connection.abort().then(text(response, 200, ""));
			}
			case "send" -> {
				return request.exchange().getFormData().flatMap((form) -> {
					String data = request.withForm(form).formOrQuery("data");
					Mono<String> result = (data != null) ? connection.receive(data) : Mono.empty();
					response.getHeaders().setCacheControl("no-cache, no-store");
					return result.defaultIfEmpty("").flatMap((json) -> json(response, json));
				});
			}
			default -> {
				boolean connect = suffix.equals("connect");
				if (connect) {
					connection.open(hubs, request.connectionRequest());
				}
				return receiveRequest(request, suffix, transport, connection);
			}
		}
	}

	private Mono<Void> receiveRequest(LegacyRequest request, String suffix, TransportType transport,
			LegacyConnection connection) {
		boolean connect = suffix.equals("connect");
		// OnConnected at /connect for protocols before 1.4 (at /start after); OnReconnected at /reconnect
		Mono<Void> connected = connect ? (connection.connectsAtStart() ? Mono.empty() : connection.connected())
				: suffix.equals("reconnect") ? connection.reconnected() : Mono.empty();
		if (transport == TransportType.WEB_SOCKETS) {
			return this.webSockets.serve(request, connection, !connect, connected);
		}
		if (transport == TransportType.SERVER_SENT_EVENTS) {
			if (suffix.equals("poll")) {
				throw new LegacyRequestException(400, "Protocol error: Unknown transport.");
			}
			return this.streams.eventStream(request, connection, !connect, connected);
		}
		if (connect) {
			return connected.then(this.streams.longPollConnect(request, connection));
		}
		return connected.then(request.exchange().getFormData())
			.flatMap((form) -> this.streams.longPoll(request.withForm(form), connection));
	}

	private static TransportType transport(@Nullable String name) {
		if (name != null) {
			switch (name.toLowerCase(Locale.ROOT)) {
				case "websockets" -> {
					return TransportType.WEB_SOCKETS;
				}
				case "serversentevents" -> {
					return TransportType.SERVER_SENT_EVENTS;
				}
				case "longpolling" -> {
					return TransportType.LONG_POLLING;
				}
				default -> {
				}
			}
		}
		throw new LegacyRequestException(400, "Protocol error: Unknown transport.");
	}

	static Mono<Void> json(ServerHttpResponse response, String body) {
		response.getHeaders().setContentType(JSON);
		return write(response, body);
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
