package io.github.springsignalr.hub;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

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

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HubConnectionContext, Map> STREAMS =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, Map.class, "streams");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HubConnectionContext, Map> CLIENT_STREAMS =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, Map.class, "clientStreams");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HubConnectionContext, Map> PENDING_RESULTS =
			AtomicReferenceFieldUpdater.newUpdater(HubConnectionContext.class, Map.class, "pendingResults");

	private static final AtomicLongFieldUpdater<HubConnectionContext> CLIENT_INVOCATION_IDS =
			AtomicLongFieldUpdater.newUpdater(HubConnectionContext.class, "clientInvocationIds");

	private final Connection connection;

	private final HubConnectionHandler handler;

	private final long createdNanos = System.nanoTime();

	private final InvocationLimiter limiter;

	// the maps below are created on first use: most connections never join a group, stream or wait for a result

	private volatile @Nullable Set<String> groupNames;

	private volatile @Nullable Map<String, Disposable> streams;

	private volatile @Nullable Map<String, ClientStream> clientStreams;

	private volatile @Nullable Map<String, PendingResult> pendingResults;

	private volatile long clientInvocationIds;

	private volatile @Nullable HubProtocol protocol;

	private volatile @Nullable String userIdentifier;

	private volatile @Nullable HubCallerClients clients;

	private volatile @Nullable MessageBuffer messageBuffer;

	private volatile @Nullable Instant authenticationExpiry;

	private volatile SignalRMetrics.MessageMetrics messageMetrics = SignalRMetrics.MessageMetrics.NOOP;

	private byte @Nullable [] pending;

	private volatile boolean sentSinceTick;

	private long lastSentNanos = System.nanoTime();

	private volatile boolean clientTimeoutActive;

	private long lastReceivedNanos = System.nanoTime();

	private volatile boolean closing;

	private volatile @Nullable Throwable disconnectCause;

	HubConnectionContext(Connection connection, HubConnectionHandler handler, int maximumParallelInvocations) {
		this.connection = connection;
		this.handler = handler;
		this.limiter = new InvocationLimiter(maximumParallelInvocations);
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

	/** Server-to-client streams running, by invocation id. */
	Map<String, Disposable> streams() {
		Map<String, Disposable> streams = this.streams;
		if (streams == null) {
			STREAMS.compareAndSet(this, null, new ConcurrentHashMap<>());
			streams = this.streams;
		}
		return streams;
	}

	/** Client-to-server streams open, by stream id. */
	Map<String, ClientStream> clientStreams() {
		Map<String, ClientStream> streams = this.clientStreams;
		if (streams == null) {
			CLIENT_STREAMS.compareAndSet(this, null, new ConcurrentHashMap<>());
			streams = this.clientStreams;
		}
		return streams;
	}

	private Map<String, PendingResult> pendingResults() {
		Map<String, PendingResult> results = this.pendingResults;
		if (results == null) {
			PENDING_RESULTS.compareAndSet(this, null, new ConcurrentHashMap<>());
			results = this.pendingResults;
		}
		return results;
	}

	void userIdentifier(@Nullable String userIdentifier) {
		this.userIdentifier = userIdentifier;
	}

	void clients(HubCallerClients clients) {
		this.clients = clients;
	}

	HubCallerClients clients() {
		HubCallerClients clients = this.clients;
		if (clients == null) {
			throw new IllegalStateException("Connection " + connectionId() + " has not completed its handshake");
		}
		return clients;
	}

	GroupManager groups() {
		return this.handler.groups();
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
		Duration timeout = this.handler.options().clientResultTimeout();
		return Mono.defer(() -> {
			HubProtocol protocol = this.protocol;
			if (protocol == null || isClosing()) {
				return Mono.error(new HubException("Connection '" + connectionId() + "' disconnected."));
			}
			String id = Long.toString(CLIENT_INVOCATION_IDS.incrementAndGet(this));
			Sinks.One<Object> result = Sinks.one();
			pendingResults().put(id, new PendingResult(resultType, result));
			this.limiter.lend();
			write(new HubMessage.Invocation(id, method, Arrays.asList(arguments)));
			Mono<T> answer = result.asMono().cast(resultType);
			if (timeout != null) {
				answer = answer.timeout(timeout, Mono.error(() -> new HubException(
						"Client '" + connectionId() + "' did not answer '" + method + "' within " + timeout + ".")));
			}
			return answer.doFinally((signal) -> {
				if (pendingResults().remove(id) != null) {
					this.limiter.takeBack();
				}
			});
		});
	}

	/**
	 * Writes an invocation serialized by another node of a backplane, which waits for the client's result,
	 * and completes with the client's Completion as read, its result not bound: the asking node binds it.
	 * Fails when the connection ends first.
	 * @param invocationId the id the invocation carries, unique for this connection
	 * @param invocation the Invocation, serialized for the protocols in use
	 */
	public Mono<HubMessage.Completion> forwardInvocation(String invocationId, SerializedHubMessage invocation) {
		return Mono.defer(() -> {
			if (this.protocol == null || isClosing()) {
				return Mono.error(new HubException("Connection '" + connectionId() + "' disconnected."));
			}
			Sinks.One<Object> result = Sinks.one();
			pendingResults().put(invocationId, new PendingResult(null, result));
			write(invocation);
			return result.asMono()
				.cast(HubMessage.Completion.class)
				.doFinally((signal) -> pendingResults().remove(invocationId));
		});
	}

	/** Completes a pending client result; {@code false} when the id is not one. */
	boolean completeClientResult(HubMessage.Completion completion) {
		PendingResult pending = pendingResults().remove(completion.invocationId());
		if (pending == null) {
			return false;
		}
		Class<?> type = pending.type();
		if (type == null) {
			// forwarded for another node: no permit was lent, the result is bound there
			pending.sink().tryEmitValue(completion);
			return true;
		}
		this.limiter.takeBack();
		if (completion.error() != null) {
			pending.sink().tryEmitError(new HubException(completion.error()));
			return true;
		}
		try {
			HubProtocol protocol = this.protocol;
			Object value = (protocol != null && completion.hasResult())
					? protocol.bind(completion.result(), type) : null;
			if (value == null) {
				pending.sink().tryEmitEmpty();
			}
			else {
				pending.sink().tryEmitValue(value);
			}
		}
		catch (RuntimeException ex) {
			pending.sink().tryEmitError(new HubException("Error trying to deserialize result to "
					+ type.getSimpleName() + ". " + ex.getMessage()));
		}
		return true;
	}

	/** Disposes the server-to-client streams and ends the client-to-server ones: the connection is gone. */
	void endStreams(HubException disconnected) {
		Map<String, Disposable> streams = this.streams;
		if (streams != null) {
			streams.values().forEach(Disposable::dispose);
			streams.clear();
		}
		Map<String, ClientStream> clientStreams = this.clientStreams;
		if (clientStreams != null) {
			for (ClientStream stream : clientStreams.values()) {
				stream.complete(disconnected);
			}
			clientStreams.clear();
		}
	}

	/** Fails every pending client result: the connection is gone. */
	void failClientResults() {
		Map<String, PendingResult> results = this.pendingResults;
		if (results == null) {
			return;
		}
		for (String id : results.keySet()) {
			PendingResult pending = results.remove(id);
			if (pending != null) {
				pending.sink().tryEmitError(new HubException("Connection '" + connectionId() + "' disconnected."));
			}
		}
	}

	/** A result the server waits for; without a type, one forwarded to another node. */
	private record PendingResult(@Nullable Class<?> type, Sinks.One<Object> sink) {
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

	/** Runs on the heartbeat: handshake timeout, keep-alive Ping, client timeout. */
	void tick(HubOptions options, byte[] handshakeCanceled, SerializedHubMessage ping) {
		if (this.closing) {
			return;
		}
		long now = System.nanoTime();
		if (!handshakeDone()) {
			if (now - this.createdNanos >= options.handshakeTimeout().toNanos()) {
				this.closing = true;
				writeRaw(handshakeCanceled);
				this.connection.close();
			}
			return;
		}
		Instant expiry = this.authenticationExpiry;
		if (expiry != null && Instant.now().isAfter(expiry)) {
			// the token ran out: the client may come back with a fresh one
			this.handler.closeGracefully(this, new HubMessage.Close(null, true));
			return;
		}
		MessageBuffer buffer = this.messageBuffer;
		if (buffer != null) {
			byte[] ack = buffer.ackIfDue();
			if (ack != null) {
				this.connection.send(ack);
			}
		}
		if (this.sentSinceTick) {
			this.sentSinceTick = false;
			this.lastSentNanos = now;
		}
		else if (now - this.lastSentNanos >= options.keepAliveInterval().toNanos()
				&& this.connection.feature(ConnectionFeatures.InherentKeepAlive.class) == null) {
			// long polling keeps itself alive with its polls
			write(ping);
			this.sentSinceTick = false;
			this.lastSentNanos = now;
		}
		if (this.limiter.hasWaiters()) {
			// the reader is paused behind a running invocation: the client's silence is ours
			this.lastReceivedNanos = now;
		}
		if (this.clientTimeoutActive && now - this.lastReceivedNanos >= options.clientTimeoutInterval().toNanos()) {
			this.handler.closeWithError(this, new OperationCanceledException(
					"Client hasn't sent a message/ping within the configured ClientTimeoutInterval."), true);
		}
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
		this.handler.closeGracefully(this, HubMessage.Close.EMPTY);
	}

	@Override
	public String toString() {
		return "HubConnectionContext[" + connectionId() + "]";
	}
}
