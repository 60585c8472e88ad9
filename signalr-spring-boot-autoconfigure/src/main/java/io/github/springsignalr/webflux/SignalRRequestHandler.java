package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionEndpoint;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.JsonStrings;
import reactor.core.publisher.Mono;

/**
 * Serves negotiate and dispatches transport requests to the transport they ask for, with the status
 * codes and texts of the reference's {@code HttpConnectionDispatcher}.
 */
public final class SignalRRequestHandler {

	/** Transports this server implements, in the order negotiate lists them. */
	static final List<TransportType> IMPLEMENTED = List.of(TransportType.WEB_SOCKETS);

	private final ConnectionManager connections;

	private final WebSocketTransport webSockets;

	public SignalRRequestHandler(ConnectionManager connections, WebSocketTransport webSockets) {
		this.connections = connections;
		this.webSockets = webSockets;
	}

	WebHandler negotiate(ConnectionEndpoint endpoint) {
		return (exchange) -> negotiate(exchange, endpoint);
	}

	WebHandler transport(ConnectionEndpoint endpoint) {
		return (exchange) -> transport(exchange, endpoint);
	}

	private Mono<Void> negotiate(ServerWebExchange exchange, ConnectionEndpoint endpoint) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		String version = queryParam(request, "negotiateVersion");
		int negotiateVersion = 0;
		if (version != null) {
			try {
				negotiateVersion = Integer.parseInt(version.trim());
			}
			catch (NumberFormatException ex) {
				return negotiateError(exchange, "The client requested a non-integer protocol version.");
			}
			if (negotiateVersion < 0) {
				return negotiateError(exchange, "The client requested version '" + negotiateVersion
						+ "', but the server does not support this version.");
			}
			negotiateVersion = Math.min(negotiateVersion, 1);
		}
		HttpConnection connection = this.connections.create(endpoint, negotiateVersion);
		StringBuilder json = new StringBuilder(256);
		json.append("{\"negotiateVersion\":").append(negotiateVersion).append(",\"connectionId\":\"")
			.append(connection.id()).append('"');
		if (negotiateVersion > 0) {
			json.append(",\"connectionToken\":\"").append(connection.token()).append('"');
		}
		json.append(",\"availableTransports\":[");
		boolean first = true;
		for (TransportType transport : IMPLEMENTED) {
			if (!endpoint.options().transports().contains(transport)) {
				continue;
			}
			if (!first) {
				json.append(',');
			}
			first = false;
			json.append("{\"transport\":\"").append(transport.wireName()).append("\",\"transferFormats\":")
				.append(transport == TransportType.SERVER_SENT_EVENTS ? "[\"Text\"]" : "[\"Text\",\"Binary\"]")
				.append('}');
		}
		json.append("]}");
		return respond(exchange, HttpStatus.OK, MediaType.APPLICATION_JSON, json.toString());
	}

	private Mono<Void> negotiateError(ServerWebExchange exchange, String error) {
		StringBuilder json = new StringBuilder("{\"error\":");
		JsonStrings.quote(json, error).append('}');
		return respond(exchange, HttpStatus.OK, MediaType.APPLICATION_JSON, json.toString());
	}

	private Mono<Void> transport(ServerWebExchange exchange, ConnectionEndpoint endpoint) {
		ServerHttpRequest request = exchange.getRequest();
		HttpMethod method = request.getMethod();
		boolean upgrade = method == HttpMethod.GET
				&& "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
		String token = request.getQueryParams().getFirst("id");
		if (upgrade && token == null) {
			// skip negotiation: the connection is created on the fly
			if (!endpoint.options().transports().contains(TransportType.WEB_SOCKETS)) {
				return respond(exchange, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN,
						"WebSockets transport not supported by this end point type");
			}
			return this.webSockets.handle(exchange, this.connections.create(endpoint, 1));
		}
		if (token == null) {
			return respond(exchange, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Connection ID required");
		}
		HttpConnection connection = this.connections.get(token);
		if (connection == null || connection.connectionEndpoint() != endpoint) {
			return respond(exchange, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN, "No Connection with that ID");
		}
		TransportType requested = requestedTransport(request, upgrade);
		if (requested == null) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN, "");
		}
		TransportType current = connection.transportOrNull();
		if (method == HttpMethod.POST && current == TransportType.WEB_SOCKETS) {
			return respond(exchange, HttpStatus.METHOD_NOT_ALLOWED, MediaType.TEXT_PLAIN,
					"POST requests are not allowed for WebSocket connections.");
		}
		if (!endpoint.options().transports().contains(requested) || !IMPLEMENTED.contains(requested)) {
			return respond(exchange, HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN,
					requested.wireName() + " transport not supported by this end point type");
		}
		if (current != null && current != requested) {
			return respond(exchange, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN,
					"Cannot change transports mid-connection");
		}
		if (current != null) {
			return respond(exchange, HttpStatus.CONFLICT, MediaType.TEXT_PLAIN, "");
		}
		return this.webSockets.handle(exchange, connection);
	}

	private static @Nullable TransportType requestedTransport(ServerHttpRequest request, boolean upgrade) {
		if (upgrade) {
			return TransportType.WEB_SOCKETS;
		}
		HttpMethod method = request.getMethod();
		if (method == HttpMethod.GET) {
			List<MediaType> accept = request.getHeaders().getAccept();
			for (MediaType type : accept) {
				if (type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM) && !type.isWildcardType()) {
					return TransportType.SERVER_SENT_EVENTS;
				}
			}
			return TransportType.LONG_POLLING;
		}
		if (method == HttpMethod.POST || method == HttpMethod.DELETE) {
			return TransportType.LONG_POLLING;
		}
		return null;
	}

	/** A query parameter by name, ignoring case as the reference does. */
	static @Nullable String queryParam(ServerHttpRequest request, String name) {
		for (Map.Entry<String, List<String>> entry : request.getQueryParams().entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
				return entry.getValue().get(0);
			}
		}
		return null;
	}

	static Mono<Void> respond(ServerWebExchange exchange, HttpStatus status, MediaType type, String body) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(type);
		if (status == HttpStatus.OK) {
			response.getHeaders().setCacheControl("no-cache, no-store");
		}
		if (body.isEmpty()) {
			response.getHeaders().setContentLength(0);
			return response.setComplete();
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

	/** The request of a transport, as the connection and hub methods see it. */
	static Mono<ConnectionRequestAndUser> describe(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		ConnectionRequest described = new ConnectionRequest(request.getURI(), request.getHeaders(),
				request.getQueryParams(), request.getCookies(), request.getRemoteAddress());
		return exchange.getPrincipal()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map((user) -> new ConnectionRequestAndUser(described, user.orElse(null)));
	}

	/** A transport request and its authenticated user. */
	record ConnectionRequestAndUser(ConnectionRequest request, @Nullable Principal user) {
	}
}
