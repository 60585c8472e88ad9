package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;

import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.legacy.HubProxyScript;
import io.github.springsignalr.legacy.Jsonp;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyHub;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.legacy.LegacyRequestException;
import io.github.springsignalr.legacy.LegacyTransportName;

/**
 * The classic ASP.NET SignalR 2 endpoint ({@code /signalr} by default) on a servlet container:
 * {@code /negotiate}, {@code /ping}, {@code /connect}, {@code /reconnect}, {@code /poll}, {@code /start},
 * {@code /send}, {@code /abort} and the generated proxy script {@code /hubs} (or {@code /js}), told apart by
 * the path's suffix (ignoring case), on webSockets (Jakarta WebSocket), serverSentEvents, foreverFrame and
 * longPolling (asynchronous requests), with the reference's statuses and texts for refused requests, as
 * on WebFlux.
 */
public final class LegacyRequestHandler {

	private static final Log logger = LogFactory.getLog(LegacyRequestHandler.class);

	private final LegacyConnections connections;

	private final Executor writes;

	private volatile @Nullable HubProxyScript proxyScript;

	private @Nullable RouteAuthorizer hubAuthorizer;

	private @Nullable RouteAuthorizer routeAuthorizer;

	/**
	 * @param writes where responses and frames are written off the threads that send (an executor that may
	 * block)
	 */
	public LegacyRequestHandler(LegacyConnections connections, Executor writes) {
		this.connections = connections;
		this.writes = writes;
	}

	/**
	 * Lets a client use only the hubs whose routes {@code authorizer} lets its negotiate request reach
	 * (decided at negotiate; without one every hub may be used): the others are left out of its connection,
	 * and when none of those it listed remain, negotiate is refused with the authorizer's status.
	 */
	public void setAuthorizer(RouteAuthorizer authorizer) {
		this.hubAuthorizer = authorizer;
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

	void handle(HttpServletRequest servletRequest, HttpServletResponse response) throws IOException {
		response.setHeader("X-Content-Type-Options", "nosniff");
		LegacyServletRequest request = new LegacyServletRequest(servletRequest, response);
		String path = servletRequest.getRequestURI();
		String suffix = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
		try {
			Jsonp.check(request.query("callback"), this.connections.options().jsonp());
			ConnectionRoute route = this.connections.route();
			RouteAuthorizer authorizer = this.routeAuthorizer;
			HttpStatus refusal = (route != null && authorizer != null) ? authorizer.authorize(servletRequest, route)
					: null;
			if (refusal != null) {
				request.text(refusal.value(), "");
				return;
			}
			route(request, suffix, request.user());
		}
		catch (LegacyRequestException ex) {
			request.text(ex.status(), ex.getMessage());
		}
	}

	private void route(LegacyServletRequest request, String suffix, @Nullable Principal user) throws IOException {
		switch (suffix) {
			case "negotiate" -> negotiate(request, user);
			case "ping" -> request.json(LegacyFraming.PONG);
			case "hubs", "js" -> TransportRequests.respond(request.response(), HttpStatus.OK,
					MediaType.parseMediaType(HubProxyScript.CONTENT_TYPE), proxyScript().render(request.url()));
			case "connect", "reconnect", "poll", "start", "send", "abort" -> transportRequest(request, suffix, user);
			default -> request.text(404, "");
		}
	}

	private void negotiate(LegacyServletRequest request, @Nullable Principal user) throws IOException {
		List<LegacyHub> listed = this.connections.hubs()
			.resolve(this.connections.mapper(), request.query("connectionData"));
		boolean tryWebSockets = request.request()
			.getServletContext()
			.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer;
		RouteAuthorizer authorizer = this.hubAuthorizer;
		if (authorizer == null) {
			request.json(this.connections.negotiate(user, request.connectionRequest(), request.url(),
					request.query("clientProtocol"), tryWebSockets));
			return;
		}
		Set<LegacyHub> allowed = new HashSet<>();
		HttpStatus refusal = null;
		for (LegacyHub hub : this.connections.hubs().all()) {
			HttpStatus status = authorizer.authorize(request.request(), hub.route());
			if (status == null) {
				allowed.add(hub);
			}
			else if (refusal == null) {
				refusal = status;
			}
		}
		if (!listed.isEmpty() && listed.stream().noneMatch(allowed::contains)) {
			request.text((refusal != null) ? refusal.value() : 403, "");
			return;
		}
		request.json(this.connections.negotiate(user, request.connectionRequest(), request.url(),
				request.query("clientProtocol"), tryWebSockets, allowed::contains));
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

	private void transportRequest(LegacyServletRequest request, String suffix, @Nullable Principal user)
			throws IOException {
		List<LegacyHub> hubs = this.connections.hubs()
			.resolve(this.connections.mapper(), request.query("connectionData"));
		LegacyTransportName transport = LegacyTransportName.of(request.query("transport"));
		LegacyConnection connection = this.connections.find(request.query("connectionToken"), user);
		transport.check(suffix, request.isUpgrade());
		boolean opens = suffix.equals("connect") || suffix.equals("reconnect");
		long frameId = (transport == LegacyTransportName.FOREVER_FRAME && opens)
				? LegacyTransportName.frameId(request.query("frameId")) : -1;
		switch (suffix) {
			case "start" -> {
				connection.connected().block();
				request.json(LegacyFraming.STARTED);
			}
			case "abort" -> {
				connection.abort().block();
				request.text(200, "");
			}
			case "send" -> {
				request.readForm(true);
				String data = request.formOrQuery("data");
				String result = (data != null) ? connection.receive(data).block() : null;
				request.json((result != null) ? result : "");
			}
			default -> {
				if (suffix.equals("connect")) {
					connection.open(hubs, request.connectionRequest());
				}
				receiveRequest(request, suffix, transport, connection, frameId);
			}
		}
	}

	private void receiveRequest(LegacyServletRequest request, String suffix, LegacyTransportName transport,
			LegacyConnection connection, long frameId) throws IOException {
		boolean connect = suffix.equals("connect");
		// OnConnected at /connect for protocols before 1.4 (at /start after); OnReconnected at /reconnect
		Mono<Void> connected = connect ? (connection.connectsAtStart() ? Mono.empty() : connection.connected())
				: suffix.equals("reconnect") ? connection.reconnected() : Mono.empty();
		LegacyOptions options = this.connections.options();
		switch (transport) {
			case WEB_SOCKETS -> LegacyWebSocketEndpoint.upgrade(request, connection, !connect, connected, options,
					this.writes);
			case SERVER_SENT_EVENTS -> LegacyServletStream.eventStream(request, connection, !connect, connected,
					options, this.writes);
			case FOREVER_FRAME -> LegacyServletStream.foreverFrame(request, connection, !connect, connected, options,
					this.writes, frameId);
			case LONG_POLLING -> {
				if (connect) {
					// the init's cursor comes before OnConnected (protocol < 1.4): what it sends comes with the next poll
					String init = connection.longPollConnect();
					ran(connected);
					request.json(init);
					return;
				}
				ran(connected);
				request.readForm(false);
				LegacyLongPoll.poll(request, connection, options, this.writes);
			}
		}
	}

	/** Runs the hubs' OnConnected or OnReconnected before the transport goes on; a failure is logged. */
	private static void ran(Mono<Void> connected) {
		try {
			connected.block();
		}
		catch (RuntimeException ex) {
			logger.debug("A connection event of a classic connection failed", ex);
		}
	}
}
