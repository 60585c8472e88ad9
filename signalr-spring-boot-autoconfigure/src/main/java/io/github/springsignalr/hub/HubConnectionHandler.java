package io.github.springsignalr.hub;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubException;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UnauthorizedInvocationException;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HandshakeProtocol;
import io.github.springsignalr.protocol.HandshakeRequest;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.InvalidDataException;
import io.github.springsignalr.protocol.SerializedHubMessage;
import io.github.springsignalr.protocol.TransferFormat;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
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

	private final String hubName;

	/** Invocations (not streams) started and not yet ended, on every connection. */
	private final AtomicInteger running = new AtomicInteger();

	private final Object hub;

	private final HubDescriptor descriptor;

	private final Map<String, HubProtocol> protocols;

	private final HubOptions options;

	private final HubLifetimeManager lifetime;

	private final LifetimeHubClients groups;

	private final UserIdProvider userIdProvider;

	private final Scheduler blocking;

	private final byte[] handshakeCanceled = HandshakeProtocol.errorResponse("Handshake was canceled.");

	private final SerializedHubMessage ping = new SerializedHubMessage(HubMessage.Ping.INSTANCE);

	private List<HubFilter> filters = List.of();

	private SignalRMetrics metrics = SignalRMetrics.NOOP;

	private @Nullable Function<Principal, @Nullable Instant> authenticationExpiration;

	/**
	 * @param protocols protocols clients may choose, by name
	 * @param blocking where methods that may block run
	 */
	public HubConnectionHandler(String hubName, Object hub, HubDescriptor descriptor, List<HubProtocol> protocols,
			HubOptions options, HubLifetimeManager lifetime, UserIdProvider userIdProvider, Scheduler blocking) {
		this.hubName = hubName;
		this.hub = hub;
		this.descriptor = descriptor;
		this.protocols = new java.util.LinkedHashMap<>();
		for (HubProtocol protocol : protocols) {
			this.protocols.put(protocol.name().toLowerCase(Locale.ROOT), protocol);
		}
		this.options = options;
		this.lifetime = lifetime;
		this.groups = new LifetimeHubClients(lifetime, "");
		this.userIdProvider = userIdProvider;
		this.blocking = blocking;
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
		this.filters = List.copyOf(filters);
	}

	/** Sets where connections report the messages they receive and send (no-op by default). */
	public void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * How many invocations of this hub's methods are running (streams not counted); a graceful shutdown
	 * waits for them.
	 */
	public int runningInvocations() {
		return this.running.get();
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

	GroupManager groups() {
		return this.groups;
	}



	@Override
	public Mono<Void> onConnected(Connection connection) {
		HubConnectionContext context = new HubConnectionContext(connection, this,
				this.options.maximumParallelInvocationsPerClient());
		ConnectionFeatures.HandlerState state = connection.feature(ConnectionFeatures.HandlerState.class);
		if (state != null) {
			state.handlerState(context);
		}
		else {
			connection.items().put(HubConnectionContext.class, context);
		}
		ConnectionFeatures.Heartbeat heartbeat = connection.feature(ConnectionFeatures.Heartbeat.class);
		if (heartbeat != null) {
			heartbeat.onHeartbeat(() -> context.tick(this.options, this.handshakeCanceled, this.ping));
		}
		ConnectionFeatures.ShutdownNotice shutdown = connection.feature(ConnectionFeatures.ShutdownNotice.class);
		if (shutdown != null) {
			// the server goes away, the client may come back (to another node)
			shutdown.onShutdown(() -> closeGracefully(context, new HubMessage.Close(null, true)));
		}
		ConnectionFeatures.ReceiveFailure receive = connection.feature(ConnectionFeatures.ReceiveFailure.class);
		if (receive != null) {
			// what the transport did not take (a POST over its limit) is invalid data, as a message over its size
			receive.onReceiveFailed((error) -> invalidData(context, error));
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
	private void invalidData(HubConnectionContext context, RuntimeException error) {
		if (context.isClosing()) {
			return;
		}
		if (!context.handshakeDone()) {
			// as for a handshake over the maximum message size
			failHandshake(context, "Handshake was canceled.");
			return;
		}
		logger.debug("Closing connection " + context.connectionId() + ": " + error.getMessage());
		closeWithError(context, error, true);
	}

	private boolean handshake(HubConnectionContext context, ByteBuffer buffer) {
		HandshakeRequest request;
		try {
			if (buffer.remaining() > this.options.maximumReceiveMessageSize()
					&& indexOf(buffer) > this.options.maximumReceiveMessageSize()) {
				failHandshake(context, "Handshake was canceled.");
				return false;
			}
			request = HandshakeProtocol.parseRequest(buffer);
		}
		catch (InvalidDataException ex) {
			failHandshake(context, errorMessage("An unexpected error occurred during connection handshake.", ex));
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
		connection.transferFormat(protocol.transferFormat());
		context.protocol(protocol);
		context.messageMetrics(this.metrics.messages(this.hubName, connection.transport(), protocol.name()));
		context.authenticationExpiry(authenticationExpiry(connection));
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
		context.userIdentifier(this.userIdProvider.getUserId(connection));
		context.clients(new LifetimeHubClients(this.lifetime, context.connectionId()));
		return true;
	}

	private static int indexOf(ByteBuffer buffer) {
		int index = io.github.springsignalr.protocol.TextMessageFormat.indexOfSeparator(buffer);
		return (index < 0) ? Integer.MAX_VALUE : index - buffer.position();
	}

	private void failHandshake(HubConnectionContext context, String error) {
		logger.debug("Handshake failed on connection " + context.connectionId() + ": " + error);
		context.markClosing();
		closeReason(context, SignalRMetrics.CloseReason.PROTOCOL_ERROR);
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
		return reachable.then(Mono.defer(() -> lifecycle(0, true).next(context, null)))
			.onErrorResume((ex) -> {
				logger.warn("OnConnected of hub " + this.hubName + " failed", ex);
				closeWithError(context, ex, false);
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
					closeWithError(context, new InvalidDataException(
							"Sequence ID greater than amount of messages we've received."), false);
				}
				return Mono.empty();
			}
		}
		if (message instanceof HubMessage.Invocation invocation) {
			return invoke(context, invocation);
		}
		if (message instanceof HubMessage.StreamInvocation invocation) {
			return stream(context, invocation);
		}
		if (message instanceof HubMessage.CancelInvocation cancel) {
			Disposable stream = context.streams().remove(cancel.invocationId());
			if (stream != null) {
				stream.dispose();
				// the reference ends a canceled stream with a Completion that carries no error
				context.write(HubMessage.Completion.empty(cancel.invocationId()));
			}
		}
		else if (message instanceof HubMessage.Ping) {
			context.startClientTimeout();
		}
		else if (message instanceof HubMessage.Close close) {
			context.disconnectCause((close.error() != null) ? new HubException(close.error()) : null);
			if (context.markClosing()) {
				// the client closes its transport right after its Close; closing ours first can reset the
				// socket under the client's WebSocket close frame (Reactor Netty does not wait for it)
				context.write(HubMessage.Close.EMPTY);
				Mono.delay(CLIENT_CLOSE_GRACE).subscribe((tick) -> context.connection().close());
			}
		}
		else if (message instanceof HubMessage.Completion completion) {
			ClientStream stream = context.clientStreams().remove(completion.invocationId());
			if (stream != null) {
				stream.complete((completion.error() != null) ? new HubException(completion.error()) : null);
			}
			else if (!context.completeClientResult(completion)) {
				logger.debug("Ignoring Completion for unknown invocation " + completion.invocationId());
			}
		}
		else if (message instanceof HubMessage.StreamItem item) {
			ClientStream stream = context.clientStreams().get(item.invocationId());
			if (stream == null) {
				logger.debug("Ignoring StreamItem for unknown stream " + item.invocationId());
				return Mono.empty();
			}
			Object value;
			try {
				value = protocol(context).bind(item.item(), stream.itemType());
			}
			catch (RuntimeException ex) {
				context.clientStreams().remove(item.invocationId());
				stream.complete(new InvalidDataException("Failed to bind Stream message.", ex));
				return Mono.empty();
			}
			return stream.offer(value);
		}
		return Mono.empty();
	}

	private Mono<Void> invoke(HubConnectionContext context, HubMessage.Invocation invocation) {
		String id = invocation.invocationId();
		HubMethod method = this.descriptor.find(invocation.target());
		if (method == null) {
			sendError(context, id, "Failed to invoke '" + invocation.target()
					+ "' due to an error on the server. HubException: Method does not exist.");
			return Mono.empty();
		}
		Object[] arguments;
		try {
			arguments = method.bind(invocation.arguments(), protocol(context));
		}
		catch (InvalidDataException ex) {
			sendError(context, id,
					errorMessage("Failed to invoke '" + invocation.target() + "' due to an error on the server.", ex));
			return Mono.empty();
		}
		if (method.isStreaming()) {
			sendError(context, id, "The client attempted to invoke the streaming '" + invocation.target()
					+ "' method with a non-streaming invocation.");
			return Mono.empty();
		}
		if (!openClientStreams(context, method, invocation.target(), id, invocation.streamIds(), arguments)) {
			return Mono.empty();
		}
		if (!invocation.streamIds().isEmpty()) {
			// invocations fed by client streams do not count against the parallel-invocation limit
			run(context, method, invocation.target(), id, invocation.headers(), arguments, null);
			return Mono.empty();
		}
		InvocationLimiter limiter = context.limiter();
		if (limiter.tryAcquire()) {
			if (context.isClosing()) {
				limiter.release();
			}
			else {
				run(context, method, invocation.target(), id, invocation.headers(), arguments, limiter);
			}
			return Mono.empty();
		}
		return limiter.acquire().then(Mono.fromRunnable(() -> {
			if (context.isClosing()) {
				limiter.release();
				return;
			}
			run(context, method, invocation.target(), id, invocation.headers(), arguments, limiter);
		}));
	}

	private void run(HubConnectionContext context, HubMethod method, String target, @Nullable String id,
			Map<String, String> headers, Object[] arguments, @Nullable InvocationLimiter limiter) {
		this.running.incrementAndGet();
		Invocation invocation = new Invocation(context, target, id, limiter);
		Mono<Object> result;
		try {
			result = filtered(method, target, id, headers, arguments, context);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			invocation.onError(ex);
			return;
		}
		result.subscribe(invocation);
	}

	/**
	 * One running invocation: sends its Completion (when the client wants one) or its error and frees its
	 * slot. One subscriber instead of an operator chain per invocation.
	 */
	private final class Invocation implements CoreSubscriber<Object> {

		private final HubConnectionContext context;

		private final String target;

		private final @Nullable String id;

		private final @Nullable InvocationLimiter limiter;

		private @Nullable Object result;

		private boolean done;

		Invocation(HubConnectionContext context, String target, @Nullable String id,
				@Nullable InvocationLimiter limiter) {
			this.context = context;
			this.target = target;
			this.id = id;
			this.limiter = limiter;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Object value) {
			this.result = value;
		}

		@Override
		public void onComplete() {
			if (this.done) {
				return;
			}
			this.done = true;
			if (this.id != null) {
				// a void method completes with "result":null, as the reference writes it
				this.context.write(HubMessage.Completion.withResult(this.id, this.result));
			}
			// released after the Completion is queued, so completions keep the order of invocations
			if (this.limiter != null) {
				this.limiter.release();
			}
			HubConnectionHandler.this.running.decrementAndGet();
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				return;
			}
			this.done = true;
			if (error instanceof UnauthorizedInvocationException) {
				sendError(this.context, this.id, "Failed to invoke '" + this.target + "' because user is unauthorized");
			}
			else {
				sendError(this.context, this.id, errorMessage(
						"An unexpected error occurred invoking '" + this.target + "' on the server.", error));
			}
			if (this.limiter != null) {
				this.limiter.release();
			}
			if (!(error instanceof HubException)) {
				logger.debug("Hub method " + this.target + " failed", error);
			}
			HubConnectionHandler.this.running.decrementAndGet();
		}
	}

	private Mono<Object> filtered(HubMethod method, String target, @Nullable String id, Map<String, String> headers,
			Object[] arguments, HubConnectionContext context) {
		if (this.filters.isEmpty()) {
			return method.invokeNow(this.hub, arguments, context, this.blocking);
		}
		HubInvocationContext invocation = new HubInvocationContext(this.hubName, this.hub, method.method(), target,
				Arrays.asList(arguments), context, id, headers);
		return invocationChain(0, method, context).next(invocation);
	}

	private HubFilter.InvocationChain invocationChain(int index, HubMethod method, HubConnectionContext context) {
		if (index == this.filters.size()) {
			return (invocation) -> method.invoke(this.hub, invocation.arguments().toArray(), context, null,
					this.blocking);
		}
		HubFilter filter = this.filters.get(index);
		HubFilter.InvocationChain next = invocationChain(index + 1, method, context);
		return (invocation) -> Mono.defer(() -> filter.invoke(invocation, next));
	}

	private HubFilter.LifecycleChain lifecycle(int index, boolean connect) {
		if (index == this.filters.size()) {
			HubMethod callback = connect ? this.descriptor.onConnected() : this.descriptor.onDisconnected();
			if (callback == null) {
				return (context, cause) -> Mono.empty();
			}
			return (context, cause) -> callback
				.invoke(this.hub, new Object[0], (HubConnectionContext) context, cause, this.blocking)
				.then();
		}
		HubFilter filter = this.filters.get(index);
		HubFilter.LifecycleChain next = lifecycle(index + 1, connect);
		return (context, cause) -> Mono.defer(() -> connect ? filter.onConnected(context, next)
				: filter.onDisconnected(context, cause, next));
	}

	/**
	 * Creates the client-to-server streams an invocation names and puts them into its arguments.
	 * @return {@code false} when the stream count does not match (an error was sent)
	 */
	private boolean openClientStreams(HubConnectionContext context, HubMethod method, String target,
			@Nullable String id, List<String> streamIds, Object[] arguments) {
		java.lang.reflect.Type[] itemTypes = method.streamItemTypes();
		if (streamIds.size() != itemTypes.length) {
			sendError(context, id, errorMessage("An unexpected error occurred invoking '" + target + "' on the server.",
					new HubException("Client sent " + streamIds.size() + " stream(s), Hub method expects "
							+ itemTypes.length + ".")));
			return false;
		}
		if (itemTypes.length == 0) {
			return true;
		}
		List<Flux<Object>> streams = new ArrayList<>(itemTypes.length);
		for (int i = 0; i < itemTypes.length; i++) {
			ClientStream stream = new ClientStream(itemTypes[i], this.options.streamBufferCapacity());
			context.clientStreams().put(streamIds.get(i), stream);
			streams.add(stream.flux());
		}
		method.attachStreams(arguments, streams);
		return true;
	}

	private Mono<Void> stream(HubConnectionContext context, HubMessage.StreamInvocation invocation) {
		String id = invocation.invocationId();
		HubMethod method = this.descriptor.find(invocation.target());
		if (method == null) {
			sendError(context, id, "Failed to invoke '" + invocation.target()
					+ "' due to an error on the server. HubException: Method does not exist.");
			return Mono.empty();
		}
		Object[] arguments;
		try {
			arguments = method.bind(invocation.arguments(), protocol(context));
		}
		catch (InvalidDataException ex) {
			sendError(context, id,
					errorMessage("Failed to invoke '" + invocation.target() + "' due to an error on the server.", ex));
			return Mono.empty();
		}
		if (!method.isStreaming()) {
			sendError(context, id, "The client attempted to invoke the non-streaming '" + invocation.target()
					+ "' method with a streaming invocation.");
			return Mono.empty();
		}
		if (context.streams().containsKey(id)) {
			sendError(context, id, "Invocation ID '" + id + "' is already in use.");
			return Mono.empty();
		}
		Flux<Object> items;
		try {
			items = method.stream(this.hub, arguments, context);
		}
		catch (Exception ex) {
			sendError(context, id, errorMessage(
					"An unexpected error occurred invoking '" + invocation.target() + "' on the server.", ex));
			return Mono.empty();
		}
		StreamSender sender = new StreamSender(context, id);
		context.streams().put(id, sender);
		items.subscribe(sender);
		return Mono.empty();
	}

	/**
	 * Sends a server-to-client stream at the client's pace: the next item is requested only when the
	 * connection's outbound queue is short, so a slow reader holds the producer back.
	 */
	private final class StreamSender extends reactor.core.publisher.BaseSubscriber<Object> {

		private final HubConnectionContext context;

		private final String id;

		StreamSender(HubConnectionContext context, String id) {
			this.context = context;
			this.id = id;
		}

		@Override
		protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(Object item) {
			this.context.write(new HubMessage.StreamItem(this.id, item, Map.of()));
			Connection connection = this.context.connection();
			MessageBuffer buffer = this.context.messageBuffer();
			ConnectionFeatures.Backpressure flow = connection.feature(ConnectionFeatures.Backpressure.class);
			if (flow != null && buffer != null) {
				buffer.whenSpace(() -> flow.whenWritable(() -> request(1)));
			}
			else if (flow != null) {
				flow.whenWritable(() -> request(1));
			}
			else if (buffer != null) {
				buffer.whenSpace(() -> request(1));
			}
			else {
				request(1);
			}
		}

		@Override
		protected void hookOnComplete() {
			this.context.write(HubMessage.Completion.empty(this.id));
		}

		@Override
		protected void hookOnError(Throwable error) {
			sendError(this.context, this.id,
					errorMessage("An error occurred on the server while streaming results.", error));
		}

		@Override
		protected void hookFinally(reactor.core.publisher.SignalType type) {
			this.context.streams().remove(this.id, this);
		}
	}

	private static HubProtocol protocol(HubConnectionContext context) {
		HubProtocol protocol = context.protocol();
		if (protocol == null) {
			throw new IllegalStateException("No protocol before the handshake");
		}
		return protocol;
	}

	private void sendError(HubConnectionContext context, @Nullable String invocationId, String error) {
		if (invocationId != null && !invocationId.isEmpty()) {
			context.write(HubMessage.Completion.withError(invocationId, error));
		}
	}

	/** The reference's error text: details when enabled, and always for a {@link HubException}. */
	String errorMessage(String message, Throwable ex) {
		if (ex instanceof HubException || this.options.enableDetailedErrors()) {
			return message + " " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
		return message;
	}

	/** Sends a Close carrying the error, then ends the connection. */
	void closeWithError(HubConnectionContext context, Throwable error, boolean allowReconnect) {
		context.disconnectCause(error);
		if (error instanceof OperationCanceledException) {
			closeReason(context, SignalRMetrics.CloseReason.CLIENT_TIMEOUT);
		}
		else if (error instanceof InvalidDataException) {
			closeReason(context, SignalRMetrics.CloseReason.PROTOCOL_ERROR);
		}
		closeGracefully(context, new HubMessage.Close(errorMessage("Connection closed with an error.", error),
				allowReconnect));
	}

	private static void closeReason(HubConnectionContext context, SignalRMetrics.CloseReason reason) {
		ConnectionFeatures.CloseReporting reporting = context.connection().feature(ConnectionFeatures.CloseReporting.class);
		if (reporting != null) {
			reporting.closeReason(reason);
		}
	}

	/** Sends {@code close}, then ends the connection. */
	void closeGracefully(HubConnectionContext context, HubMessage.Close close) {
		if (!context.markClosing()) {
			return;
		}
		context.write(close);
		context.connection().close();
	}

	@Override
	public Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
		HubConnectionContext context = context(connection);
		context.markClosing();
		context.limiter().releaseAll();
		context.endStreams(new HubException("Connection '" + connection.id() + "' disconnected."));
		context.failClientResults();
		if (!context.handshakeDone()) {
			return Mono.empty();
		}
		this.lifetime.onDisconnected(context);
		Throwable cause = (context.disconnectCause() != null) ? context.disconnectCause() : error;
		return lifecycle(0, false).next(context, cause)
			.onErrorResume((ex) -> {
				logger.warn("OnDisconnected of hub " + this.hubName + " failed", ex);
				return Mono.empty();
			});
	}
}
