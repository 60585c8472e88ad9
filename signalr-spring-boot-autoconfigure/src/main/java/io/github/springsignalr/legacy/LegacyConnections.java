package io.github.springsignalr.legacy;

import java.security.Principal;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * The classic connections of this node, from negotiate to their end: creates them with a signed token,
 * finds them again from a request's token (refusing tampered tokens, another user's, and connections
 * that ended: a token never revives a connection).
 */
public final class LegacyConnections {

	private static final Log logger = LogFactory.getLog(LegacyConnections.class);

	static final String NO_CONNECTION = "No Connection with that ID";

	private final LegacyHubs hubs;

	private final JsonMapper mapper;

	private final LegacyInvocation.Reader invocations;

	private final LegacyOptions options;

	private final ConnectionTokens tokens;

	private final String epoch = Integer.toHexString(new SecureRandom().nextInt()).toUpperCase(Locale.ROOT);

	private final Map<String, LegacyConnection> connections = new ConcurrentHashMap<>();

	private volatile SignalRMetrics metrics = SignalRMetrics.NOOP;

	/** Runs the hubs' timers on every connection once a second (as the connection manager's heartbeat). */
	private final Disposable heartbeat;

	/** The persistent connection endpoint served, or {@code null} for the hubs. */
	private final @Nullable ConnectionRoute route;

	public LegacyConnections(LegacyHubs hubs, JsonMapper mapper, LegacyOptions options, ConnectionTokens tokens) {
		this(hubs, mapper, options, tokens, null);
	}

	private LegacyConnections(LegacyHubs hubs, JsonMapper mapper, LegacyOptions options, ConnectionTokens tokens,
			@Nullable ConnectionRoute route) {
		this.hubs = hubs;
		this.mapper = mapper;
		this.invocations = new LegacyInvocation.Reader(mapper);
		this.options = options;
		this.tokens = tokens;
		this.route = route;
		this.heartbeat = (route != null) ? Disposables.disposed()
				: Schedulers.parallel().schedulePeriodically(this::tick, 1, 1, TimeUnit.SECONDS);
	}

	private void tick() {
		for (LegacyConnection connection : this.connections.values()) {
			try {
				connection.tick();
			}
			catch (RuntimeException ex) {
				logger.warn("Heartbeat failed for " + connection, ex);
			}
		}
	}

	/**
	 * The classic persistent connections of a raw {@link io.github.springsignalr.ConnectionHandler}
	 * endpoint: no hubs; client data goes to the handler as it is, and they join the endpoint's
	 * {@link io.github.springsignalr.Connections}.
	 */
	public static LegacyConnections persistent(ConnectionRoute route, JsonMapper mapper, LegacyOptions options,
			ConnectionTokens tokens) {
		return new LegacyConnections(new LegacyHubs(List.<LegacyHub>of()), mapper, options, tokens, route);
	}

	/**
	 * The classic persistent connections of a raw handler's endpoint, with this endpoint's encoding,
	 * timings, tokens and metrics.
	 */
	public LegacyConnections persistent(ConnectionRoute route) {
		LegacyConnections persistent = persistent(route, this.mapper, this.options, this.tokens);
		persistent.setMetrics(this.metrics);
		return persistent;
	}

	/** The persistent connection endpoint served, or {@code null} when these are hub connections. */
	public @Nullable ConnectionRoute route() {
		return this.route;
	}

	public LegacyHubs hubs() {
		return this.hubs;
	}

	public JsonMapper mapper() {
		return this.mapper;
	}

	LegacyInvocation.Reader invocations() {
		return this.invocations;
	}

	public LegacyOptions options() {
		return this.options;
	}

	/**
	 * Creates a connection and answers negotiate.
	 * @param url the request path without {@code /negotiate}
	 * @param clientProtocol the client's {@code clientProtocol}, if any
	 * @return the negotiate payload
	 */
	public String negotiate(@Nullable Principal user, ConnectionRequest request, String url,
			@Nullable String clientProtocol, boolean tryWebSockets) {
		return negotiate(user, request, url, clientProtocol, tryWebSockets, (hub) -> true);
	}

	/**
	 * Creates a connection that may use only the hubs {@code allowed} accepts (the others are left out of
	 * its {@code connectionData}, and invoking them fails), and answers negotiate.
	 */
	public String negotiate(@Nullable Principal user, ConnectionRequest request, String url,
			@Nullable String clientProtocol, boolean tryWebSockets, Predicate<LegacyHub> allowed) {
		int version = LegacyNegotiation.protocolVersion(clientProtocol);
		String id = UUID.randomUUID().toString();
		LegacyConnection connection = new LegacyConnection(id, user, version, request, this, this.epoch, allowed);
		this.connections.put(id, connection);
		connection.awaitTransport();
		String token = this.tokens.create(id, ConnectionTokens.userName((user != null) ? user.getName() : null));
		return LegacyNegotiation.payload(this.mapper, url, token, id, this.options, version, tryWebSockets);
	}

	/**
	 * The live connection of a request's token.
	 * @throws LegacyRequestException 400 for a missing or tampered token, 403 for another user's, 404 for a
	 * connection that ended or never was
	 */
	public LegacyConnection find(@Nullable String token, @Nullable Principal user) {
		if (token == null || token.isEmpty()) {
			throw LegacyRequestException.badRequest("Protocol error: Missing connection token.");
		}
		String id = this.tokens.connectionId(token, ConnectionTokens.userName((user != null) ? user.getName() : null));
		LegacyConnection connection = this.connections.get(id);
		if (connection == null || connection.isEnded()) {
			throw new LegacyRequestException(404, NO_CONNECTION);
		}
		return connection;
	}

	void remove(String id) {
		this.connections.remove(id);
	}

	/**
	 * Sets where connections report their start and end (as the ASP.NET Core connections do: the active
	 * connections gauge counts classic ones under their hub, or their persistent connection endpoint).
	 */
	public void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	SignalRMetrics metrics() {
		return this.metrics;
	}

	/** The live connections. */
	public Collection<LegacyConnection> connections() {
		return this.connections.values();
	}

	/**
	 * Ends every connection: the server shuts down. Waiting long polls are answered with {@code "T":1}
	 * (clients reconnect), live transports end, the hubs' OnDisconnected run.
	 */
	public Mono<Void> shutdown() {
		this.heartbeat.dispose();
		return Flux.fromIterable(List.copyOf(this.connections.values())).flatMap(LegacyConnection::shutdown).then();
	}
}
