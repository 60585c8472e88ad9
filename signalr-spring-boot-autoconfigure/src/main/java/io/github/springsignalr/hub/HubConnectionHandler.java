package io.github.springsignalr.hub;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.HubException;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HandshakeProtocol;
import io.github.springsignalr.protocol.HandshakeRequest;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.InvalidDataException;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Speaks the hub protocol on the connections of one hub: the handshake, then every message in order,
 * dispatched to the hub bean's methods. Errors get the reference's texts; bad input closes the
 * connection with a Close message and nothing else notices.
 */
public final class HubConnectionHandler implements ConnectionHandler {

	private static final Log logger = LogFactory.getLog(HubConnectionHandler.class);

	/** How long a client that sent Close gets to close its transport before the server closes it. */
	private static final Duration CLIENT_CLOSE_GRACE = Duration.ofSeconds(5);

	private final HubDispatcher dispatcher;

	private final String hubName;

	private final Map<String, HubProtocol> protocols;

	private final HubOptions options;

	private final HubLifetimeManager lifetime;

	private final LifetimeHubClients groups;

	private final UserIdProvider userIdProvider;

	private final HubHeartbeat heartbeat;

	private SignalRMetrics metrics = SignalRMetrics.NOOP;

	private @Nullable Function<Principal, @Nullable Instant> authenticationExpiration;

	/**
	 * A handler with a dispatcher of its own for the hub.
	 * @param protocols protocols clients may choose, by name
	 * @param blocking where methods that may block run
	 */
	public HubConnectionHandler(String hubName, Object hub, HubDescriptor descriptor, List<HubProtocol> protocols,
			HubOptions options, HubLifetimeManager lifetime, UserIdProvider userIdProvider, Scheduler blocking) {
		this(new HubDispatcher(hubName, hub, descriptor, options, blocking), protocols, lifetime, userIdProvider);
	}

	/**
	 * A handler that runs what its clients ask through {@code dispatcher} (which other wire protocols of
	 * the same hub may share).
	 * @param protocols protocols clients may choose, by name
	 */
	public HubConnectionHandler(HubDispatcher dispatcher, List<HubProtocol> protocols, HubLifetimeManager lifetime,
			UserIdProvider userIdProvider) {
		this.dispatcher = dispatcher;
		this.hubName = dispatcher.hubName();
		this.protocols = new LinkedHashMap<>();
		for (HubProtocol protocol : protocols) {
			this.protocols.put(protocol.name().toLowerCase(Locale.ROOT), protocol);
		}
		this.options = dispatcher.options();
		this.heartbeat = new HubHeartbeat(this.options);
		this.lifetime = lifetime;
		this.groups = new LifetimeHubClients(lifetime, "");
		this.userIdProvider = userIdProvider;
	}

	/**
	 * Closes connections whose authentication expires (with a Close that invites a reconnect, to come
	 * back with a fresh token), reading the expiry from the connection's principal.
	 */
	public void setAuthenticationExpiration(Function<Principal, @Nullable Instant> expiration) {
		this.authenticationExpiration = expiration;
	}

	@Nullable Instant authenticationExpiry(Connection connection) {
		Function<Principal, @Nullable Instant> expiration = this.authenticationExpiration;
		Principal user = connection.user();
		return (expiration != null && user != null) ? expiration.apply(user) : null;
	}

	/** Sets the filters every invocation and connection event of this hub goes through, in order. */
	public void setFilters(List<HubFilter> filters) {
		this.dispatcher.filters(filters);
	}

	/** Sets where connections report the messages they receive and send (no-op by default). */
	public void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	/** What runs the hub's methods for this handler's connections. */
	public HubDispatcher dispatcher() {
		return this.dispatcher;
	}

	/**
	 * How many invocations of this hub's methods are running (streams not counted); a graceful shutdown
	 * waits for them.
	 */
	public int runningInvocations() {
		return this.dispatcher.runningInvocations();
	}

	public String hubName() {
		return this.hubName;
	}

	/** The names of the protocols clients may choose. */
	public List<String> protocolNames() {
		return this.protocols.values().stream().map(HubProtocol::name).toList();
	}

	public HubOptions options() {
		return this.options;
	}

	HubHeartbeat heartbeat() {
		return this.heartbeat;
	}

	UserIdProvider userIdProvider() {
		return this.userIdProvider;
	}

	@Override
	public Mono<Void> onConnected(Connection connection) {
		HubConnectionContext context = new HubConnectionContext(connection, this.options, this.groups);
		ConnectionFeatures.HandlerState state = connection.feature(ConnectionFeatures.HandlerState.class);
		if (state != null) {
			state.handlerState(context);
		}
		else {
			connection.items().put(HubConnectionContext.class, context);
		}
		// the heartbeat, the receive failure and the authentication refresh: one object
		HubConnectionHooks hooks = new HubConnectionHooks(this, context);
		ConnectionFeatures.Heartbeat heartbeat = connection.feature(ConnectionFeatures.Heartbeat.class);
		if (heartbeat != null) {
			heartbeat.onHeartbeat(hooks);
		}
		ConnectionFeatures.ShutdownNotice shutdown = connection.feature(ConnectionFeatures.ShutdownNotice.class);
		if (shutdown != null) {
			// the server goes away, the client may come back (to another node)
			shutdown.onShutdown(() -> context.closeGracefully(new HubMessage.Close(null, true)));
		}
		ConnectionFeatures.ReceiveFailure receive = connection.feature(ConnectionFeatures.ReceiveFailure.class);
		if (receive != null) {
			// what the transport did not take (a POST over its limit) is invalid data, as a message over its size
			receive.onReceiveFailed(hooks);
		}
		ConnectionFeatures.AuthenticationRefresh refresh = connection.feature(ConnectionFeatures.AuthenticationRefresh.class);
		if (refresh != null) {
			refresh.onAuthenticationRefresh(hooks);
		}
		return Mono.empty();
	}

	private HubConnectionContext context(Connection connection) {
		ConnectionFeatures.HandlerState slot = connection.feature(ConnectionFeatures.HandlerState.class);
		Object state = (slot != null) ? slot.handlerState() : connection.items().get(HubConnectionContext.class);
		if (state instanceof HubConnectionContext context) {
			return context;
		}
		throw new IllegalStateException("No hub state on " + connection);
	}

	@Override
	public Mono<Void> onReceived(Connection connection, byte[] data) {
		HubConnectionContext context = context(connection);
		if (context.isClosing()) {
			return Mono.empty();
		}
		context.received();
		ByteBuffer buffer = context.append(data);
		Mono<Void> connected = Mono.empty();
		boolean handshaking = !context.handshakeDone();
		int received = data.length;
		if (handshaking) {
			if (!handshake(context, buffer)) {
				return Mono.empty();
			}
			// the handshake's bytes are not hub messages
			received = buffer.remaining();
			connected = connected(context);
		}
		List<HubMessage> messages = new ArrayList<>(2);
		InvalidDataException failure = null;
		HubProtocol protocol = context.protocol();
		if (protocol != null && buffer.hasRemaining()) {
			try {
				protocol.parseMessages(buffer, this.options.maximumReceiveMessageSize(), messages::add);
				context.keepRemainder(buffer);
			}
			catch (InvalidDataException ex) {
				failure = ex;
			}
		}
		if (protocol != null) {
			context.messageMetrics().received(messages.size(), received);
		}
		Mono<Void> dispatched = connected;
		if (!messages.isEmpty()) {
			if (messages.size() == 1 && !handshaking && failure == null) {
				// the common case: one message, nothing before it
				return dispatch(context, messages.get(0));
			}
			dispatched = (messages.size() == 1) ? connected.then(Mono.defer(() -> dispatch(context, messages.get(0))))
					: connected.thenMany(Flux.fromIterable(messages).concatMap((message) -> dispatch(context, message)))
						.then();
		}
		if (failure != null) {
			InvalidDataException error = failure;
			return dispatched.then(Mono.fromRunnable(() -> invalidData(context, error)));
		}
		return dispatched;
	}

	/** The client sent invalid data: logged in one line, as the reference does, and the connection closed. */
	void invalidData(HubConnectionContext context, RuntimeException error) {
		if (context.isClosing()) {
			return;
		}
		if (!context.handshakeDone()) {
			// as for a handshake over the maximum message size
			failHandshake(context, "Handshake was canceled.");
			return;
		}
		HubLog.errorProcessingRequest(context.connectionId(), error);
		context.closeWithError(error, true);
	}

	private boolean handshake(HubConnectionContext context, ByteBuffer buffer) {
		HandshakeRequest request;
		try {
			if (buffer.remaining() > this.options.maximumReceiveMessageSize()
					&& indexOf(buffer) > this.options.maximumReceiveMessageSize()) {
				HubLog.handshakeSizeLimitExceeded(context.connectionId(), this.options.maximumReceiveMessageSize());
				failHandshake(context, "Handshake was canceled.");
				return false;
			}
			request = HandshakeProtocol.parseRequest(buffer);
		}
		catch (InvalidDataException ex) {
			failHandshake(context, context.errorMessage("An unexpected error occurred during connection handshake.", ex));
			return false;
		}
		if (request == null) {
			context.keepRemainder(buffer);
			return false;
		}
		HubProtocol protocol = this.protocols.get(request.protocol().toLowerCase(Locale.ROOT));
		if (protocol == null) {
			failHandshake(context, "The protocol '" + request.protocol() + "' is not supported.");
			return false;
		}
		if (request.version() > protocol.version()) {
			HubLog.protocolVersionFailed(request.protocol(), request.version());
			failHandshake(context, "The server does not support version " + request.version() + " of the '"
					+ request.protocol() + "' protocol.");
			return false;
		}
		Connection connection = context.connection();
		if (protocol.transferFormat() == TransferFormat.BINARY
				&& connection.transport() == TransportType.SERVER_SENT_EVENTS) {
			failHandshake(context, "Cannot use the '" + protocol.name()
					+ "' protocol on the current transport. The transport does not support '"
					+ protocol.transferFormat().wireName() + "' transfer format.");
			return false;
		}
		context.writeRaw(HandshakeProtocol.successResponse());
		HubLog.handshakeComplete(context.connectionId(), protocol.name());
		accept(context, protocol);
		ConnectionFeatures.StatefulReconnect reconnect = connection.feature(ConnectionFeatures.StatefulReconnect.class);
		if (request.version() > 1 && reconnect != null) {
			MessageBuffer messages = new MessageBuffer(connection, protocol, this.options.statefulReconnectBufferSize(),
					reconnect.outboundBufferSize());
			context.messageBuffer(messages);
			reconnect.onReconnect(new ConnectionFeatures.ReconnectListener() {

				@Override
				public boolean transportLost() {
					if (context.isClosing()) {
						return false;
					}
					messages.disconnected();
					return true;
				}

				@Override
				public void resumed() {
					context.resumed();
				}
			});
		}
		return true;
	}

	/** The connection speaks {@code protocol} from now on: what it needs to reach the hub and be reached. */
	private void accept(HubConnectionContext context, HubProtocol protocol) {
		Connection connection = context.connection();
		connection.transferFormat(protocol.transferFormat());
		context.protocol(protocol);
		context.messageMetrics(this.metrics.messages(this.hubName, connection.transport(), protocol.name()));
		context.authenticationExpiry(authenticationExpiry(connection));
		context.userIdentifier(this.userIdProvider.getUserId(connection));
	}

	/**
	 * Opens this hub for a connection of another wire protocol, one without this protocol's handshake
	 * (the classic ASP.NET SignalR one, for instance): its context gets {@code protocol}, which binds
	 * what the client sends and writes what the hub sends, and the heartbeat's timers. Call
	 * {@link #start} next, then give what the client invokes to {@link #dispatcher()} with the context,
	 * and end with {@link #onDisconnected}.
	 */
	public HubConnectionContext open(Connection connection, HubProtocol protocol) {
		onConnected(connection);
		HubConnectionContext context = context(connection);
		accept(context, protocol);
		return context;
	}

	/**
	 * Makes an opened connection reachable (its lifetime manager learns of it) and runs the hub's
	 * OnConnected; a failing OnConnected closes the connection.
	 */
	public Mono<Void> start(HubConnectionContext context) {
		return connected(context);
	}

	private static int indexOf(ByteBuffer buffer) {
		int index = io.github.springsignalr.protocol.TextMessageFormat.indexOfSeparator(buffer);
		return (index < 0) ? Integer.MAX_VALUE : index - buffer.position();
	}

	private void failHandshake(HubConnectionContext context, String error) {
		HubLog.handshakeFailed(context.connectionId(), error);
		context.markClosing();
		context.closeReason(SignalRMetrics.CloseReason.PROTOCOL_ERROR);
		context.writeRaw(HandshakeProtocol.errorResponse(error));
		context.connection().close();
	}

	private Mono<Void> connected(HubConnectionContext context) {
		this.lifetime.onConnected(context);
		// a backplane that cannot subscribe must not keep the connection from its own node
		Mono<Void> reachable = this.lifetime.whenReachable(context).onErrorResume((ex) -> {
			logger.warn("Connection " + context.connectionId() + " is not reachable from other nodes: " + ex.getMessage());
			return Mono.empty();
		});
		return reachable.then(Mono.defer(() -> this.dispatcher.onConnected(context)))
			.onErrorResume((ex) -> {
				HubLog.errorDispatchingHubEvent(this.hubName, "OnConnected", ex);
				context.closeWithError(ex, false);
				return Mono.empty();
			});
	}

	private Mono<Void> dispatch(HubConnectionContext context, HubMessage message) {
		if (context.isClosing()) {
			return Mono.empty();
		}
		MessageBuffer buffer = context.messageBuffer();
		if (buffer != null) {
			if (!buffer.shouldProcess(message)) {
				return Mono.empty();
			}
			if (message instanceof HubMessage.Ack ack) {
				buffer.acknowledge(ack.sequenceId());
				return Mono.empty();
			}
			if (message instanceof HubMessage.Sequence sequence) {
				if (!buffer.resetSequence(sequence.sequenceId())) {
					context.closeWithError(new InvalidDataException(
							"Sequence ID greater than amount of messages we've received."), false);
				}
				return Mono.empty();
			}
		}
		if (message instanceof HubMessage.Ping) {
			context.startClientTimeout();
			return Mono.empty();
		}
		if (message instanceof HubMessage.Close close) {
			context.disconnectCause((close.error() != null) ? new HubException(close.error()) : null);
			if (context.markClosing()) {
				// the client closes its transport right after its Close; closing ours first can reset the
				// socket under the client's WebSocket close frame (Reactor Netty does not wait for it)
				context.write(HubMessage.Close.EMPTY);
				Mono.delay(CLIENT_CLOSE_GRACE).subscribe((tick) -> context.connection().close());
			}
			return Mono.empty();
		}
		return this.dispatcher.dispatch(context, message);
	}

	@Override
	public Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
		HubConnectionContext context = context(connection);
		context.markClosing();
		InvocationLimiter limiter = context.limiterIfCreated();
		if (limiter != null) {
			limiter.releaseAll();
		}
		context.endStreams(new HubException("Connection '" + connection.id() + "' disconnected."));
		context.failClientResults();
		if (!context.handshakeDone()) {
			return Mono.empty();
		}
		this.lifetime.onDisconnected(context);
		Throwable cause = (context.disconnectCause() != null) ? context.disconnectCause() : error;
		return this.dispatcher.onDisconnected(context, cause)
			.onErrorResume((ex) -> {
				HubLog.errorDispatchingHubEvent(this.hubName, "OnDisconnected", ex);
				return Mono.empty();
			});
	}
}
