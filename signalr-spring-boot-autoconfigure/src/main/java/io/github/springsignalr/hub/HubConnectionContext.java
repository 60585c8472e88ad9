package io.github.springsignalr.hub;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * The hub runtime's state for one connection: its protocol once the handshake is done, the bytes of a
 * message not yet complete, running invocations and streams, and the timers of keep-alive and client
 * timeout. It is also the {@link HubCallerContext} hub methods receive.
 */
public final class HubConnectionContext implements HubCallerContext {

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HubConnectionContext, Set> GROUP_NAMES =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, Set.class, "groupNames");

	private static final AtomicReferenceFieldUpdater<HubConnectionContext, StreamRegistry> STREAMS =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, StreamRegistry.class, "streams");

	private static final AtomicReferenceFieldUpdater<HubConnectionContext, InvocationLimiter> LIMITER =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, InvocationLimiter.class, "limiter");

	private static final AtomicReferenceFieldUpdater<HubConnectionContext, ClientResults> CLIENT_RESULTS =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, ClientResults.class, "clientResults");

	private final Connection connection;

	private final HubOptions options;

	private final GroupManager groups;

	// the timer fields are read and updated by the hub's HubHeartbeat too

	/** Created at the first invocation, as the caller's clients at their first use: an idle connection has neither. */
	private volatile @Nullable InvocationLimiter limiter;

	// the maps below are created on first use: most connections never join a group, stream or wait for a result

	private volatile @Nullable Set<String> groupNames;

	private volatile @Nullable StreamRegistry streams;

	private volatile @Nullable ClientResults clientResults;

	private volatile @Nullable HubProtocol protocol;

	private volatile @Nullable String userIdentifier;

	private volatile @Nullable HubCallerClients clients;

	private volatile @Nullable MessageBuffer messageBuffer;

	volatile @Nullable Instant authenticationExpiry;

	private volatile SignalRMetrics.MessageMetrics messageMetrics = SignalRMetrics.MessageMetrics.NOOP;

	private byte @Nullable [] pending;

	volatile boolean sentSinceTick;

	/** When the heartbeat last saw a message sent; until the handshake, when the connection was created. */
	long lastSentNanos = System.nanoTime();

	volatile boolean clientTimeoutActive;

	long lastReceivedNanos = System.nanoTime();

	volatile boolean closing;

	private volatile @Nullable Throwable disconnectCause;

	/**
	 * @param options the hub's options (timeouts, limits, detailed errors)
	 * @param groups the hub's groups, as hub methods see them
	 */
	HubConnectionContext(Connection connection, HubOptions options, GroupManager groups) {
		this.connection = connection;
		this.options = options;
		this.groups = groups;
	}

	/** The underlying connection. */
	public Connection connection() {
		return this.connection;
	}

	/** The protocol chosen in the handshake, or {@code null} before it. */
	public @Nullable HubProtocol protocol() {
		return this.protocol;
	}

	void protocol(HubProtocol protocol) {
		this.protocol = protocol;
	}

	SignalRMetrics.MessageMetrics messageMetrics() {
		return this.messageMetrics;
	}

	void messageMetrics(SignalRMetrics.MessageMetrics metrics) {
		this.messageMetrics = metrics;
	}

	boolean handshakeDone() {
		return this.protocol != null;
	}

	InvocationLimiter limiter() {
		InvocationLimiter limiter = this.limiter;
		if (limiter == null) {
			LIMITER.compareAndSet(this, null, new InvocationLimiter(this.options.maximumParallelInvocationsPerClient()));
			limiter = this.limiter;
		}
		return limiter;
	}

	@Nullable InvocationLimiter limiterIfCreated() {
		return this.limiter;
	}

	/** Names of the groups this connection is in, kept by the lifetime manager. */
	public Set<String> groupNames() {
		Set<String> names = this.groupNames;
		if (names == null) {
			GROUP_NAMES.compareAndSet(this, null, ConcurrentHashMap.newKeySet());
			names = this.groupNames;
		}
		return names;
	}

	private StreamRegistry streamRegistry() {
		StreamRegistry streams = this.streams;
		if (streams == null) {
			STREAMS.compareAndSet(this, null, new StreamRegistry());
			streams = this.streams;
		}
		return streams;
	}

	/** Server-to-client streams running, by invocation id. */
	Map<String, Disposable> streams() {
		return streamRegistry().serverStreams();
	}

	/** Client-to-server streams open, by stream id. */
	Map<String, ClientStream> clientStreams() {
		return streamRegistry().clientStreams();
	}

	private ClientResults clientResults() {
		ClientResults results = this.clientResults;
		if (results == null) {
			CLIENT_RESULTS.compareAndSet(this, null, new ClientResults());
			results = this.clientResults;
		}
		return results;
	}

	void userIdentifier(@Nullable String userIdentifier) {
		this.userIdentifier = userIdentifier;
	}

	/** The clients as this connection, the caller, sees them (made twice at worst, alike); after the handshake. */
	HubCallerClients clients() {
		HubCallerClients clients = this.clients;
		if (clients == null && handshakeDone() && this.groups instanceof LifetimeHubClients hubClients) {
			clients = hubClients.forCaller(connectionId());
			this.clients = clients;
		}
		if (clients == null) {
			throw new IllegalStateException("Connection " + connectionId() + " has not completed its handshake");
		}
		return clients;
	}

	GroupManager groups() {
		return this.groups;
	}

	/**
	 * Joins {@code data} to the bytes left over from the previous chunk.
	 */
	ByteBuffer append(byte[] data) {
		byte[] pending = this.pending;
		if (pending == null) {
			return ByteBuffer.wrap(data);
		}
		byte[] joined = new byte[pending.length + data.length];
		System.arraycopy(pending, 0, joined, 0, pending.length);
		System.arraycopy(data, 0, joined, pending.length, data.length);
		this.pending = null;
		return ByteBuffer.wrap(joined);
	}

	/** Keeps what was not consumed of {@code buffer} for the next chunk. */
	void keepRemainder(ByteBuffer buffer) {
		if (buffer.hasRemaining()) {
			byte[] rest = new byte[buffer.remaining()];
			buffer.get(rest);
			this.pending = rest;
		}
	}

	/** Writes one message to this connection. */
	public boolean write(HubMessage message) {
		HubProtocol protocol = this.protocol;
		if (protocol == null) {
			return false;
		}
		this.sentSinceTick = true;
		MessageBuffer buffer = this.messageBuffer;
		byte[] bytes = protocol.writeMessage(message);
		this.messageMetrics.sent(bytes.length);
		return (buffer != null) ? buffer.write(message, bytes) : this.connection.send(bytes);
	}

	/** Writes a message serialized once for many connections. */
	public boolean write(SerializedHubMessage message) {
		HubProtocol protocol = this.protocol;
		if (protocol == null) {
			return false;
		}
		this.sentSinceTick = true;
		MessageBuffer buffer = this.messageBuffer;
		byte[] bytes = message.bytes(protocol);
		this.messageMetrics.sent(bytes.length);
		return (buffer != null) ? buffer.write(message.message(), bytes) : this.connection.send(bytes);
	}

	void authenticationExpiry(@Nullable Instant expiry) {
		this.authenticationExpiry = expiry;
	}

	/** The stateful-reconnect buffer, when the client negotiated it. */
	@Nullable MessageBuffer messageBuffer() {
		return this.messageBuffer;
	}

	void messageBuffer(MessageBuffer buffer) {
		this.messageBuffer = buffer;
	}

	/** A new transport after a reconnect: what was half received is gone, the client's clock restarts. */
	void resumed() {
		this.pending = null;
		this.lastReceivedNanos = System.nanoTime();
		MessageBuffer buffer = this.messageBuffer;
		if (buffer != null) {
			buffer.resend();
		}
	}

	boolean writeRaw(byte[] data) {
		this.sentSinceTick = true;
		return this.connection.send(data);
	}

	/**
	 * Invokes a method on this client and waits for its Completion, for at most
	 * {@code signalr.hub.client-result-timeout}. Completes empty for a {@code null} result.
	 */
	public <T> Mono<T> invokeClient(String method, @Nullable Object[] arguments, Class<T> resultType) {
		Duration timeout = this.options.clientResultTimeout();
		return Mono.defer(() -> clientResults().invoke(this, method, arguments, resultType, timeout));
	}

	/**
	 * Writes an invocation serialized by another node of a backplane, which waits for the client's result,
	 * and completes with the client's Completion as read, its result not bound: the asking node binds it.
	 * Fails when the connection ends first.
	 * @param invocationId the id the invocation carries, unique for this connection
	 * @param invocation the Invocation, serialized for the protocols in use
	 */
	public Mono<HubMessage.Completion> forwardInvocation(String invocationId, SerializedHubMessage invocation) {
		return Mono.defer(() -> clientResults().forward(this, invocationId, invocation));
	}

	/** Completes a pending client result; {@code false} when the id is not one. */
	boolean completeClientResult(HubMessage.Completion completion) {
		ClientResults results = this.clientResults;
		return results != null && results.complete(this, completion);
	}

	/** Disposes the server-to-client streams and ends the client-to-server ones: the connection is gone. */
	void endStreams(HubException disconnected) {
		StreamRegistry streams = this.streams;
		if (streams != null) {
			streams.endAll(disconnected);
		}
	}

	/** Fails every pending client result: the connection is gone. */
	void failClientResults() {
		ClientResults results = this.clientResults;
		if (results != null) {
			results.failAll(this);
		}
	}

	void startClientTimeout() {
		if (!this.clientTimeoutActive) {
			this.lastReceivedNanos = System.nanoTime();
			this.clientTimeoutActive = true;
		}
	}

	void received() {
		this.lastReceivedNanos = System.nanoTime();
	}

	boolean markClosing() {
		if (this.closing) {
			return false;
		}
		this.closing = true;
		return true;
	}

	boolean isClosing() {
		return this.closing || this.connection.isClosed();
	}

	@Nullable Throwable disconnectCause() {
		return this.disconnectCause;
	}

	void disconnectCause(@Nullable Throwable cause) {
		if (this.disconnectCause == null) {
			this.disconnectCause = cause;
		}
	}

	@Override
	public String connectionId() {
		return this.connection.id();
	}

	@Override
	public @Nullable Principal user() {
		return this.connection.user();
	}

	@Override
	public @Nullable String userIdentifier() {
		return this.userIdentifier;
	}

	@Override
	public Map<Object, Object> items() {
		return this.connection.items();
	}

	@Override
	public ConnectionRequest request() {
		return this.connection.request();
	}

	@Override
	public TransportType transport() {
		return this.connection.transport();
	}

	@Override
	public void abort() {
		closeGracefully(HubMessage.Close.EMPTY);
	}

	/** Sends {@code close}, then ends the connection (once: later calls do nothing). */
	void closeGracefully(HubMessage.Close close) {
		if (!markClosing()) {
			return;
		}
		write(close);
		this.connection.close();
	}

	/** Sends a Close carrying the error, then ends the connection. */
	void closeWithError(Throwable error, boolean allowReconnect) {
		disconnectCause(error);
		if (error instanceof OperationCanceledException) {
			closeReason(SignalRMetrics.CloseReason.CLIENT_TIMEOUT);
		}
		else if (error instanceof io.github.springsignalr.protocol.InvalidDataException) {
			closeReason(SignalRMetrics.CloseReason.PROTOCOL_ERROR);
		}
		closeGracefully(new HubMessage.Close(errorMessage("Connection closed with an error.", error), allowReconnect));
	}

	/** Tells the transport why the connection is about to end, for the metrics of its end. */
	void closeReason(SignalRMetrics.CloseReason reason) {
		ConnectionFeatures.CloseReporting reporting = this.connection.feature(ConnectionFeatures.CloseReporting.class);
		if (reporting != null) {
			reporting.closeReason(reason);
		}
	}

	/** The reference's error text: details when enabled, and always for a {@link HubException}. */
	String errorMessage(String message, Throwable ex) {
		if (ex instanceof HubException || this.options.enableDetailedErrors()) {
			return message + " " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
		return message;
	}

	/** Sends the Completion of a failed invocation, when the client wants one. */
	void sendError(@Nullable String invocationId, String error) {
		sendError(invocationId, "", null, error);
	}

	/** Sends the Completion of a failed invocation of {@code target}, in the protocol's own terms if it has some. */
	void sendError(@Nullable String invocationId, String target, @Nullable Throwable cause, String error) {
		if (invocationId != null && !invocationId.isEmpty()) {
			write((this.protocol instanceof InvocationErrors errors)
					? errors.completion(this, invocationId, target, cause, error)
					: HubMessage.Completion.withError(invocationId, error));
		}
	}

	HubOptions options() {
		return this.options;
	}

	@Override
	public String toString() {
		return "HubConnectionContext[" + connectionId() + "]";
	}
}
