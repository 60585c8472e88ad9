package io.github.springsignalr.connection;

import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.Connections;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * A connection of the HTTP connection layer: its id and secret token, the transport it uses once
 * connected, and its bounded outbound queue, which the transport drains.
 */
public final class HttpConnection implements Connection, ConnectionFeatures.HandlerState, ConnectionFeatures.Heartbeat,
		ConnectionFeatures.ShutdownNotice, ConnectionFeatures.ReceiveFailure, ConnectionFeatures.Backpressure,
		ConnectionFeatures.CloseReporting, ConnectionFeatures.StatefulReconnect {

	/** Lifecycle of a connection. */
	public enum State {
		/** Negotiated, waiting for a transport. */
		NEGOTIATED,
		/** A transport is attached. */
		CONNECTED,
		/** The transport was lost; waiting for the client to reconnect with the same token (stateful reconnect). */
		RECONNECTING,
		/** Ended. */
		CLOSED
	}

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HttpConnection, Map> ITEMS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class, Map.class, "items");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HttpConnection, Set> RAW_GROUPS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class, Set.class, "rawGroups");

	private final String id;

	private final String token;

	private final ConnectionEndpoint endpoint;

	private final ConnectionManager manager;

	private final long createdNanos = System.nanoTime();

	/** Created on first use, as {@link #rawGroups}: most connections never use them. */
	private volatile @Nullable Map<Object, Object> items;

	private volatile @Nullable Set<String> rawGroups;

	/**
	 * The queue a transport drains; created on first use: a transport that takes messages directly
	 * ({@link DirectOutbound}) never needs one.
	 */
	private volatile Sinks.@Nullable Many<byte[]> outbound;

	/** The outbound side has ended (completed the queue or the direct outbound); under the lock. */
	private boolean outboundEnded;

	private static final AtomicLongFieldUpdater<HttpConnection> QUEUED_BYTES = AtomicLongFieldUpdater
		.newUpdater(HttpConnection.class, "queuedBytes");

	private static final AtomicIntegerFieldUpdater<HttpConnection> DISCONNECTED = AtomicIntegerFieldUpdater
		.newUpdater(HttpConnection.class, "disconnected");

	@SuppressWarnings("unchecked")
	private static final AtomicReferenceFieldUpdater<HttpConnection, java.util.Queue<Runnable>> WRITABLE_WAITERS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class,
					(Class<java.util.Queue<Runnable>>) (Class<?>) java.util.Queue.class, "writableWaiters");

	/** Bytes queued and not yet taken by the transport. */
	private volatile long queuedBytes;

	/** The transport that takes each message as it is sent, when it does; the queue is bypassed then. */
	private volatile @Nullable DirectOutbound direct;

	/** Queue length under which a paced producer may go on. */
	private static final long WRITABLE_BYTES = 64 * 1024;

	private volatile java.util.@Nullable Queue<Runnable> writableWaiters;

	/** 1 once the endpoint was told of the disconnection. */
	private volatile int disconnected;

	private volatile State state = State.NEGOTIATED;

	private volatile @Nullable TransportType transport;

	private volatile @Nullable ConnectionRequest request;

	private volatile @Nullable Principal user;

	private volatile TransferFormat transferFormat = TransferFormat.TEXT;

	private volatile boolean closing;

	private volatile @Nullable Throwable closeCause;

	private volatile @Nullable Runnable transportAbort;

	private volatile @Nullable Object handlerState;

	private volatile @Nullable Runnable heartbeat;

	private volatile @Nullable Runnable transportHeartbeat;

	private volatile @Nullable Runnable shutdown;

	private volatile @Nullable String owner;

	private volatile boolean statefulReconnect;

	private volatile ConnectionFeatures.@Nullable ReconnectListener reconnectListener;

	private volatile long lostNanos;

	private volatile int generation;

	/**
	 * Data of the HTTP transports (POST bodies) and what bounds it, created on first use: a WebSocket hands
	 * its frames to the handler itself and never needs it.
	 */
	private volatile @Nullable InboundGate inbound;

	/** How the handler ends the connection when its client sent more than a transport takes. */
	private volatile java.util.function.@Nullable Consumer<RuntimeException> receiveFailed;

	private volatile SignalRMetrics.ConnectionMetrics metrics = SignalRMetrics.ConnectionMetrics.NOOP;

	private volatile SignalRMetrics.@Nullable CloseReason closeReason;

	private volatile boolean appShutdown;

	private volatile boolean timedOut;

	/** The socket under the transport, when it tells what it holds unsent and can be aborted. */
	private volatile @Nullable TransportSocket socket;

	/** When the server began to close the connection; under the lock, with {@link #closing}. */
	private volatile long closingNanos;

	private static final AtomicIntegerFieldUpdater<HttpConnection> SOCKET_ABORTED = AtomicIntegerFieldUpdater
		.newUpdater(HttpConnection.class, "socketAborted");

	/** 1 once the socket was aborted because the connection's Close could not be written in time. */
	private volatile int socketAborted;

	HttpConnection(String id, String token, ConnectionEndpoint endpoint, ConnectionManager manager) {
		this.id = id;
		this.token = token;
		this.endpoint = endpoint;
		this.manager = manager;
	}

	@Override
	public String id() {
		return this.id;
	}

	/** The secret the client presents as {@code id} on transport requests. */
	public String token() {
		return this.token;
	}

	public ConnectionEndpoint connectionEndpoint() {
		return this.endpoint;
	}

	public State state() {
		return this.state;
	}

	long createdNanos() {
		return this.createdNanos;
	}

	@Override
	public TransportType transport() {
		TransportType transport = this.transport;
		if (transport == null) {
			throw new IllegalStateException("Connection " + this.id + " has no transport yet");
		}
		return transport;
	}

	/** The transport, or {@code null} before one is attached. */
	public @Nullable TransportType transportOrNull() {
		return this.transport;
	}

	@Override
	public ConnectionRequest request() {
		ConnectionRequest request = this.request;
		if (request == null) {
			throw new IllegalStateException("Connection " + this.id + " has no transport yet");
		}
		return request;
	}

	@Override
	public @Nullable Principal user() {
		return this.user;
	}

	@Override
	public Map<Object, Object> items() {
		Map<Object, Object> items = this.items;
		if (items == null) {
			ITEMS.compareAndSet(this, null, new ConcurrentHashMap<>());
			items = this.items;
		}
		return items;
	}

	@Override
	public TransferFormat transferFormat() {
		return this.transferFormat;
	}

	@Override
	public void transferFormat(TransferFormat format) {
		this.transferFormat = format;
	}

	@Override
	public Connections endpoint() {
		return this.endpoint;
	}

	Set<String> rawGroups() {
		Set<String> groups = this.rawGroups;
		if (groups == null) {
			RAW_GROUPS.compareAndSet(this, null, ConcurrentHashMap.newKeySet());
			groups = this.rawGroups;
		}
		return groups;
	}

	/** Whether negotiate granted stateful reconnect: a lost WebSocket may come back with the same token. */
	public boolean statefulReconnect() {
		return this.statefulReconnect;
	}

	public void statefulReconnect(boolean statefulReconnect) {
		this.statefulReconnect = statefulReconnect;
	}

	/** Registers the handler's part in stateful reconnect. */
	@Override
	public void onReconnect(ConnectionFeatures.@Nullable ReconnectListener listener) {
		this.reconnectListener = listener;
	}

	@Override
	public long outboundBufferSize() {
		return this.endpoint.options().outboundBufferSize();
	}

	/**
	 * The capabilities of this connection: all but {@link ConnectionFeatures.StatefulReconnect} (only when
	 * negotiated) and {@link ConnectionFeatures.InherentKeepAlive} (only over long polling).
	 */
	@Override
	public <T> @Nullable T feature(Class<T> type) {
		if (type == ConnectionFeatures.StatefulReconnect.class && !this.statefulReconnect) {
			return null;
		}
		if (type == ConnectionFeatures.InherentKeepAlive.class) {
			return (this.transport == TransportType.LONG_POLLING) ? type.cast(INHERENT_KEEP_ALIVE) : null;
		}
		return type.isInstance(this) ? type.cast(this) : null;
	}

	private static final ConnectionFeatures.InherentKeepAlive INHERENT_KEEP_ALIVE = new ConnectionFeatures.InherentKeepAlive() {
	};

	/** The name of the user who negotiated the connection, if any. */
	public @Nullable String owner() {
		return this.owner;
	}

	/** Records who negotiated the connection: only that user may use its token. */
	public void owner(@Nullable String owner) {
		this.owner = owner;
	}

	/** State the endpoint's handler keeps on the connection (the hub layer's per-connection context). */
	@Override
	public @Nullable Object handlerState() {
		return this.handlerState;
	}

	@Override
	public void handlerState(@Nullable Object state) {
		this.handlerState = state;
	}

	/** Registers work to run on every heartbeat tick while connected (keep-alive, timeouts). */
	@Override
	public void onHeartbeat(@Nullable Runnable heartbeat) {
		this.heartbeat = heartbeat;
	}

	void tick() {
		if (this.closing) {
			abortIfCloseIsStuck(System.nanoTime());
		}
		Runnable transportHeartbeat = this.transportHeartbeat;
		if (transportHeartbeat != null && this.state == State.CONNECTED) {
			transportHeartbeat.run();
		}
		Runnable heartbeat = this.heartbeat;
		if (heartbeat != null && this.state == State.CONNECTED) {
			heartbeat.run();
		}
	}

	/**
	 * Attaches a transport. Fails when one is attached already.
	 * @param transportAbort ends the transport at once (drops what is queued)
	 */
	public synchronized boolean attach(TransportType transport, ConnectionRequest request, @Nullable Principal user,
			Runnable transportAbort) {
		if (this.state != State.NEGOTIATED) {
			return false;
		}
		this.transport = transport;
		this.request = request;
		this.user = user;
		this.transportAbort = transportAbort;
		this.state = State.CONNECTED;
		this.metrics = this.manager.metrics().connectionStarted(this.endpoint.name(), transport);
		this.endpoint.connected(this);
		return true;
	}

	/**
	 * The socket under the transport, as far as the connection needs it: what it holds written but not
	 * yet sent, and a way to abort it that does not wait for what is unsent.
	 */
	public interface TransportSocket {

		/**
		 * Bytes the transport has taken from the connection but not yet handed to the network (such as a
		 * Netty channel's pending outbound bytes); read on every send, so it must be cheap and lock-free.
		 */
		long unsentBytes();

		/** Closes the socket now, dropping what is unsent (a reset rather than a graceful close). */
		void abort();
	}

	/**
	 * Tells the connection the socket its transport writes to: what the socket holds unsent counts against
	 * the outbound buffer, and a connection the server closes whose Close cannot be written within the
	 * close timeout has its socket aborted.
	 */
	public void socket(@Nullable TransportSocket socket) {
		this.socket = socket;
	}

	/**
	 * The data queued for the client, for the transport to write; one subscriber only. The transport
	 * reports what it has written with {@link #written(int)}.
	 */
	public Flux<byte[]> outbound() {
		synchronized (this) {
			return queue().asFlux();
		}
	}

	/** The outbound queue, created when first needed; under the lock. */
	private Sinks.Many<byte[]> queue() {
		Sinks.Many<byte[]> queue = this.outbound;
		if (queue == null) {
			queue = newOutbound();
			if (this.outboundEnded) {
				queue.tryEmitComplete();
			}
			this.outbound = queue;
		}
		return queue;
	}

	/** Ends the outbound side: completes the queue, or tells the direct outbound; under the lock. */
	private void endOutbound() {
		if (this.outboundEnded) {
			return;
		}
		this.outboundEnded = true;
		Sinks.Many<byte[]> queue = this.outbound;
		if (queue != null) {
			queue.tryEmitComplete();
		}
		DirectOutbound direct = this.direct;
		if (direct != null) {
			direct.complete();
		}
	}

	/**
	 * A transport that takes each message as {@link #send(byte[])} is called, in send order, instead of
	 * draining the outbound queue: one hand-over fewer per message. It reports what it has handed to the
	 * network with {@link #written(int)}, as a transport draining the queue does.
	 */
	public interface DirectOutbound {

		/** Takes one message; called under the connection's lock, in send order. */
		void send(byte[] data);

		/** Nothing more will be sent: the transport ends after what it took. */
		void complete();
	}

	/**
	 * Has {@code direct} take every message from now on, in place of a subscriber to {@link #outbound()}:
	 * what is queued already goes first, and the end of the queue (close, abort, overflow, a lost
	 * transport) reaches it as {@link DirectOutbound#complete()}.
	 */
	public void outbound(DirectOutbound direct) {
		synchronized (this) {
			Sinks.Many<byte[]> queue = this.outbound;
			if (queue != null) {
				// what was queued drains on this thread, under our lock: nothing can be sent in between
				queue.asFlux().subscribe(direct::send);
				this.outbound = null;
			}
			if (this.outboundEnded) {
				direct.complete();
			}
			else {
				this.direct = direct;
			}
		}
	}

	/** The transport has handed this many queued bytes to the network. */
	public void written(int bytes) {
		long queued = QUEUED_BYTES.addAndGet(this, -bytes);
		java.util.Queue<Runnable> waiters = this.writableWaiters;
		if (queued <= WRITABLE_BYTES && waiters != null && !waiters.isEmpty()) {
			Runnable waiter;
			while ((waiter = waiters.poll()) != null) {
				waiter.run();
			}
		}
	}

	/** The producers waiting for a short queue; created when the first one waits. */
	private java.util.Queue<Runnable> writableWaiters() {
		java.util.Queue<Runnable> waiters = this.writableWaiters;
		if (waiters == null) {
			WRITABLE_WAITERS.compareAndSet(this, null, new java.util.concurrent.ConcurrentLinkedQueue<Runnable>());
			waiters = this.writableWaiters;
		}
		return waiters;
	}

	/**
	 * Runs {@code waiter} once the outbound queue is short (now, if it is): lets producers such as
	 * server-to-client streams go at the client's pace instead of filling the queue.
	 */
	@Override
	public void whenWritable(Runnable waiter) {
		if (this.queuedBytes <= WRITABLE_BYTES || this.closing) {
			waiter.run();
			return;
		}
		java.util.Queue<Runnable> waiters = writableWaiters();
		waiters.add(waiter);
		if (this.queuedBytes <= WRITABLE_BYTES || this.closing) {
			Runnable again = waiters.poll();
			if (again != null) {
				again.run();
			}
		}
	}

	/**
	 * Data from the client over an HTTP transport (a POST body): handed to the endpoint's handler in
	 * arrival order, one chunk at a time, once the handler has seen the connection. Data that arrives
	 * before the transport is attached waits for it, as in the reference (signalrcore's long polling
	 * POSTs the handshake before its first poll).
	 * @return {@code false} when the connection is closed
	 */
	public boolean receive(byte[] data) {
		return emitInbound(data);
	}

	/**
	 * Bounds the data an HTTP transport queues for the handler: subscribes to {@code read}, which reads a
	 * POST body and hands it to {@link #receive(byte[])}, once no other POST of the connection is reading
	 * its body and the queue has room for {@code bytes} more within {@code limit} (or is empty); to
	 * {@code closed} instead when the connection ends first. Until then the body is left unread.
	 * @param bytes the most the POST adds (its declared length, or {@code limit} when it declares none)
	 * @param limit the bytes of received data not yet handled past which POSTs wait
	 */
	public <T> Mono<T> whenInboundRoom(long bytes, long limit, Mono<T> read, Mono<T> closed) {
		return inbound().turn(bytes, limit, read, closed);
	}

	/** Bytes received over an HTTP transport and not yet handled. */
	public long inboundBytes() {
		InboundGate gate = this.inbound;
		return (gate != null) ? gate.queued() : 0;
	}

	/**
	 * The client sent data that the transport did not take (a POST body over its limit): after the data
	 * received before it, the handler ends the connection as it ends it on invalid data (see
	 * {@link #onReceiveFailed}); it is aborted with {@code error} when the handler registered nothing.
	 * @return {@code false} when the connection is closed
	 */
	public boolean receiveFailed(RuntimeException error) {
		return emitInbound(error);
	}

	private boolean emitInbound(Object item) {
		InboundGate gate = inbound();
		Sinks.Many<Object> inbound = gate.sink;
		synchronized (inbound) {
			if (this.state == State.CLOSED) {
				return false;
			}
			if (!(item instanceof byte[] data)) {
				return inbound.tryEmitNext(item).isSuccess();
			}
			// counted first: the handler may be done with it before tryEmitNext returns
			gate.received(data.length);
			if (inbound.tryEmitNext(data).isSuccess()) {
				return true;
			}
			gate.handled(data.length);
			return false;
		}
	}

	/** Registers how the handler ends the connection on {@link #receiveFailed}. */
	@Override
	public void onReceiveFailed(java.util.function.@Nullable Consumer<RuntimeException> receiveFailed) {
		this.receiveFailed = receiveFailed;
	}

	/**
	 * The queue of messages for a transport to take. Its links are short: on Reactor Netty a WebSocket
	 * takes messages straight from {@link #send(byte[])} and this queue stays empty, and an idle
	 * connection should not carry the default first link of 256 slots (about 1 KB).
	 */
	private static Sinks.Many<byte[]> newOutbound() {
		return Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<byte[]>unbounded(16).get());
	}

	private InboundGate inbound() {
		InboundGate inbound = this.inbound;
		if (inbound == null) {
			synchronized (this) {
				inbound = this.inbound;
				if (inbound == null) {
					// a short first link: most HTTP transports' connections queue a chunk or two at a time
					inbound = new InboundGate(
							Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<Object>unbounded(8).get()));
					this.inbound = inbound;
				}
			}
			if (this.state == State.CLOSED) {
				// transportEnded ran before the sink existed: end it as transportEnded would have
				endInbound(inbound);
			}
		}
		return inbound;
	}

	/** Ends the inbound side: the handler gets what was queued, waiting POSTs the closed answer. */
	private static void endInbound(InboundGate inbound) {
		synchronized (inbound.sink) {
			inbound.sink.tryEmitComplete();
		}
		inbound.close();
	}

	/**
	 * The handler's work on one chunk. An error it throws, when called or when its work is subscribed to
	 * (a stack overflow), fails that work and so ends the connection: Reactor would rethrow it past the
	 * stream instead, and the connection would take POSTs that nothing handles any more.
	 */
	private Mono<Void> received(io.github.springsignalr.ConnectionHandler handler, byte[] data) {
		return Mono.<Void>create((sink) -> {
			try {
				sink.onCancel(handler.onReceived(this, data).subscribe(null, sink::error, sink::success));
			}
			catch (Throwable ex) {
				sink.error(ex);
			}
		}).doFinally((signal) -> {
			// the chunk leaves the queue once handled, as the reference's reader advances past what it dispatched
			InboundGate gate = this.inbound;
			if (gate != null) {
				gate.handled(data.length);
			}
		});
	}

	private Mono<Void> failReceiving(RuntimeException error) {
		java.util.function.Consumer<RuntimeException> receiveFailed = this.receiveFailed;
		if (receiveFailed != null) {
			receiveFailed.accept(error);
		}
		else {
			ConnectionManager.logger.debug("Closing connection " + this.id + ": " + error.getMessage());
			abort(error);
		}
		return Mono.empty();
	}

	/**
	 * Starts handing data to the handler: first {@code onConnected}, then every chunk given to
	 * {@link #receive(byte[])}. For HTTP transports, whose data arrives in separate requests.
	 * <p>
	 * The handler runs on another thread than the request that brought the data: run inside
	 * {@code receive}, it would hold the inbound lock while it writes to the connection, while a DELETE
	 * or a close holding the connection's lock completes a poll that ends the inbound side: a deadlock.
	 */
	public void startReceiving() {
		io.github.springsignalr.ConnectionHandler handler = this.endpoint.handler();
		handler.onConnected(this)
			.thenMany(inbound().sink.asFlux()
				.publishOn(Schedulers.parallel(), 1)
				.<Void>concatMap((item) -> (item instanceof byte[] data) ? received(handler, data)
						: failReceiving((RuntimeException) item), 1))
			.subscribe(null, (ex) -> {
				ConnectionManager.logger.debug("Handler failed on connection " + this.id, ex);
				// nothing takes data any more: waiting POSTs get their answer now, as the transport's end gives it
				inbound().close();
				abort(ex);
			});
	}

	/**
	 * Registers how the handler ends the connection when the application shuts down (a hub sends a
	 * Close that invites a reconnect); a plain {@link #close()} otherwise.
	 */
	@Override
	public void onShutdown(@Nullable Runnable shutdown) {
		this.shutdown = shutdown;
	}

	void shutdown() {
		this.appShutdown = true;
		Runnable shutdown = this.shutdown;
		if (shutdown != null && this.state == State.CONNECTED) {
			shutdown.run();
		}
		else {
			close();
		}
	}

	/** Registers transport work to run on every heartbeat tick (long polling's poll timeout). */
	public void onTransportHeartbeat(@Nullable Runnable heartbeat) {
		this.transportHeartbeat = heartbeat;
	}

	@Override
	public boolean send(byte[] data) {
		synchronized (this) {
			if (this.closing) {
				return false;
			}
			if (this.state == State.RECONNECTING) {
				// nobody to send to; a stateful handler keeps the message for the client's return
				return true;
			}
			long queued = QUEUED_BYTES.addAndGet(this, data.length);
			TransportSocket socket = this.socket;
			// what the socket holds unsent counts too: a client that does not read fills it first
			long unsent = (socket != null) ? queued + socket.unsentBytes() : queued;
			if (unsent > this.endpoint.options().outboundBufferSize() && unsent != data.length) {
				startClosing();
				this.closeCause = new OutboundBufferOverflowException(this.endpoint.options().outboundBufferSize());
				closeReason(SignalRMetrics.CloseReason.OVERFLOW);
				endOutbound();
			}
			else {
				DirectOutbound direct = this.direct;
				if (direct != null) {
					direct.send(data);
				}
				else {
					queue().tryEmitNext(data);
				}
				return true;
			}
		}
		abortTransport();
		return false;
	}

	/** Bytes queued and not yet taken by the transport. */
	public long queuedBytes() {
		return this.queuedBytes;
	}

	@Override
	public void close() {
		synchronized (this) {
			if (this.closing) {
				return;
			}
			startClosing();
			endOutbound();
		}
		if (this.state == State.NEGOTIATED) {
			transportEnded(null);
		}
	}

	/** The server begins to close the connection: the close timeout starts; under the lock. */
	private void startClosing() {
		this.closingNanos = System.nanoTime();
		this.closing = true;
	}

	/**
	 * Aborts the socket of a connection that has been closing for longer than the close timeout: its Close
	 * is stuck behind data the client does not read (in the socket's buffers, the kernel's or ours), and
	 * only an abort frees them. The connection then ends as if its transport had.
	 */
	private void abortIfCloseIsStuck(long now) {
		TransportSocket socket = this.socket;
		if (socket == null || this.state != State.CONNECTED
				|| now - this.closingNanos < this.endpoint.options().closeTimeout().toNanos()
				|| !SOCKET_ABORTED.compareAndSet(this, 0, 1)) {
			return;
		}
		ConnectionManager.logger.debug("Timed out waiting for the Close of connection " + this.id
				+ " to be written, aborting the connection.");
		this.metrics.aborted();
		socket.abort();
		transportEnded(null);
	}

	@Override
	public void abort(@Nullable Throwable cause) {
		synchronized (this) {
			if (cause != null && this.closeCause == null) {
				this.closeCause = cause;
			}
			if (!this.closing) {
				startClosing();
				endOutbound();
			}
		}
		if (this.state == State.NEGOTIATED) {
			transportEnded(null);
		}
		abortTransport();
	}

	private void abortTransport() {
		Runnable abort = this.transportAbort;
		if (abort != null) {
			abort.run();
		}
	}

	@Override
	public boolean isClosed() {
		return this.closing || this.state == State.CLOSED;
	}

	/** Records why the server closes the connection, for metrics; the first reason stays. */
	@Override
	public void closeReason(SignalRMetrics.CloseReason reason) {
		if (this.closeReason == null) {
			this.closeReason = reason;
		}
	}

	/** The client did not come back within the disconnect timeout. */
	void timedOut() {
		this.timedOut = true;
	}

	private SignalRMetrics.ConnectionStatus status() {
		if (this.appShutdown) {
			return SignalRMetrics.ConnectionStatus.APP_SHUTDOWN;
		}
		if (this.timedOut || this.closeReason == SignalRMetrics.CloseReason.CLIENT_TIMEOUT) {
			return SignalRMetrics.ConnectionStatus.TIMEOUT;
		}
		return SignalRMetrics.ConnectionStatus.NORMAL_CLOSURE;
	}

	/** Why the connection ended, when it ended with an error. */
	public @Nullable Throwable closeCause() {
		return this.closeCause;
	}

	/**
	 * Called by a transport that ended without the client closing it (a dropped socket): with stateful
	 * reconnect the connection waits for the client to come back with the same token for the
	 * disconnect timeout; otherwise it ends.
	 */
	public void transportLost(@Nullable Throwable error) {
		ConnectionFeatures.ReconnectListener listener = this.reconnectListener;
		// asked outside our lock: the handler's buffer lock is held by writers that call send()
		boolean resumable = this.statefulReconnect && listener != null && !this.closing
				&& this.state == State.CONNECTED && listener.transportLost();
		Runnable abort;
		synchronized (this) {
			if (!resumable || this.closing || this.state != State.CONNECTED) {
				abort = null;
			}
			else {
				this.state = State.RECONNECTING;
				this.lostNanos = System.nanoTime();
				abort = this.transportAbort;
				this.transportAbort = null;
				this.socket = null;
				endOutbound();
				this.outbound = null;
				this.direct = null;
				this.outboundEnded = false;
				this.queuedBytes = 0;
				this.generation++;
			}
		}
		if (this.state == State.RECONNECTING) {
			if (abort != null) {
				abort.run();
			}
			return;
		}
		transportEnded(error);
	}

	/**
	 * Counts the transports attached so far: a transport that ends after another took its place
	 * (a stateful reconnect) must not end the connection.
	 */
	public int generation() {
		return this.generation;
	}

	/**
	 * A client with stateful reconnect opened a new WebSocket before the server noticed the old one
	 * dropped: the old one is treated as lost, so the new one can take over.
	 */
	public boolean takeOver() {
		if (this.statefulReconnect && this.state == State.CONNECTED && this.transport == TransportType.WEB_SOCKETS) {
			transportLost(null);
		}
		return this.state == State.RECONNECTING;
	}

	/**
	 * Attaches a new transport to a connection waiting for its client to reconnect.
	 * @return {@code false} when the connection is not waiting for one
	 */
	public boolean reattach(TransportType transport, ConnectionRequest request, @Nullable Principal user,
			Runnable transportAbort) {
		synchronized (this) {
			if (this.state != State.RECONNECTING || transport != this.transport) {
				return false;
			}
			this.request = request;
			this.user = user;
			this.transportAbort = transportAbort;
			this.state = State.CONNECTED;
		}
		ConnectionFeatures.ReconnectListener listener = this.reconnectListener;
		if (listener != null) {
			listener.resumed();
		}
		return true;
	}

	boolean reconnectExpired(long now) {
		return this.state == State.RECONNECTING
				&& now - this.lostNanos > this.endpoint.options().disconnectTimeout().toNanos();
	}

	/**
	 * Called by the transport when it has ended: removes the connection and tells the handler, once.
	 */
	public void transportEnded(@Nullable Throwable error) {
		if (!DISCONNECTED.compareAndSet(this, 0, 1)) {
			return;
		}
		boolean wasConnected;
		synchronized (this) {
			wasConnected = this.state == State.CONNECTED || this.state == State.RECONNECTING;
			this.state = State.CLOSED;
			this.closing = true;
			if (error != null && this.closeCause == null) {
				this.closeCause = error;
			}
			endOutbound();
		}
		InboundGate inbound = this.inbound;
		if (inbound != null) {
			endInbound(inbound);
		}
		java.util.Queue<Runnable> waiters = this.writableWaiters;
		Runnable waiter;
		while (waiters != null && (waiter = waiters.poll()) != null) {
			waiter.run();
		}
		this.manager.remove(this);
		if (wasConnected) {
			this.metrics.ended(status(), this.closeReason);
			this.endpoint.disconnected(this);
			this.endpoint.handler()
				.onDisconnected(this, this.closeCause)
				.onErrorResume((ex) -> {
					ConnectionManager.logger.warn("onDisconnected failed for connection " + this.id, ex);
					return reactor.core.publisher.Mono.empty();
				})
				.subscribe();
		}
	}

	@Override
	public String toString() {
		return "HttpConnection[" + this.id + "]";
	}
}
