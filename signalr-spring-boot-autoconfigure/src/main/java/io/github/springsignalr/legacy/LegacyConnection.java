package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * One client connection of the classic ASP.NET SignalR 2 protocol, whatever its transport: its id and
 * user, the protocol version it negotiated, its ordered outbound buffer with cursors, the transport
 * attached now (a live channel or a waiting long poll) and its disconnect timer, and one
 * {@link io.github.springsignalr.Connection} view per hub it listed, opened on that hub's handler.
 * Client invocations the hubs send are buffered and enveloped {@code {"C":..,"M":[..]}}; results go to
 * the request that carried the invocation (the WebSocket or the {@code /send} response), never buffered.
 */
public final class LegacyConnection {

	private static final Log logger = LogFactory.getLog(LegacyConnection.class);

	private final String id;

	private final @Nullable Principal user;

	private final int protocolVersion;

	private final LegacyConnections owner;

	/** The hubs this connection's user may use (decided at negotiate). */
	private final Predicate<LegacyHub> allowed;

	private final Map<Object, Object> items = new ConcurrentHashMap<>();

	private final LegacyHubViews hubs = new LegacyHubViews(this);

	/** The handler's view of a persistent connection; {@code null} for a hub connection. */
	private final @Nullable LegacyPersistentConnection persistent;

	private final LegacyHubInvocations invocations;

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile ConnectionRequest request;

	private volatile TransportType transport = TransportType.LONG_POLLING;

	// guarded by this:
	private final OutboundBuffer buffer;

	private @Nullable LegacyTransport live;

	private @Nullable Poll poll;

	private final DisconnectTimer timer;

	private boolean shuttingDown;

	LegacyConnection(String id, @Nullable Principal user, int protocolVersion, ConnectionRequest request,
			LegacyConnections owner, String epoch, Predicate<LegacyHub> allowed) {
		this.id = id;
		this.allowed = allowed;
		this.user = user;
		this.protocolVersion = protocolVersion;
		this.request = request;
		this.owner = owner;
		LegacyOptions options = owner.options();
		this.buffer = new OutboundBuffer(epoch, options.messageBufferSize(), options.messageBufferBytes());
		this.invocations = new LegacyHubInvocations(this, owner, allowed);
		this.timer = new DisconnectTimer(options.disconnectTimeout(), this::timedOut);
		ConnectionRoute route = owner.route();
		this.persistent = (route != null) ? new LegacyPersistentConnection(this, route, owner.mapper()) : null;
	}

	/** The connection id. */
	public String id() {
		return this.id;
	}

	/** The authenticated user, if any. */
	public @Nullable Principal user() {
		return this.user;
	}

	/** The protocol version negotiated, as {@code major * 10 + minor}. */
	public int protocolVersion() {
		return this.protocolVersion;
	}

	/** Whether the hubs' OnConnected run at {@code /start} (protocol 1.4 and later) rather than at {@code /connect}. */
	public boolean connectsAtStart() {
		return this.protocolVersion >= 14;
	}

	/** Whether the connection has ended (it cannot come back). */
	public boolean isEnded() {
		return this.ended.get();
	}

	JsonMapper mapper() {
		return this.owner.mapper();
	}

	ConnectionRequest request() {
		return this.request;
	}

	TransportType transport() {
		return this.transport;
	}

	Map<Object, Object> items() {
		return this.items;
	}

	/** The view of a hub (by lower-case name) if the connection opened it. */
	@Nullable LegacyHubConnection hubView(String hub) {
		return this.hubs.find(hub);
	}

	LegacyHubViews hubs() {
		return this.hubs;
	}

	/** Where the connection reports its start and end. */
	SignalRMetrics metrics() {
		return this.owner.metrics();
	}

	/** How the connection ended, for the metrics: shut down, timed out, or stopped. */
	synchronized SignalRMetrics.ConnectionStatus endStatus(@Nullable Throwable cause) {
		return this.shuttingDown ? SignalRMetrics.ConnectionStatus.APP_SHUTDOWN
				: (cause instanceof TimeoutException) ? SignalRMetrics.ConnectionStatus.TIMEOUT
						: SignalRMetrics.ConnectionStatus.NORMAL_CLOSURE;
	}

	/** The heartbeat: the hubs' timers run. */
	void tick() {
		if (!this.ended.get() && this.persistent == null) {
			this.hubs.tick();
		}
	}

	/**
	 * Opens the listed hubs the user may use, once (later calls do nothing): their handlers know it,
	 * invocations reach them; they send to it once {@link #connected()} ran.
	 */
	public void open(List<LegacyHub> hubs, ConnectionRequest request) {
		if (this.hubs.open(hubs.stream().filter(this.allowed).toList())) {
			this.request = request;
		}
	}

	/** Makes the connection reachable through the listed hubs and runs their OnConnected, once. */
	public Mono<Void> connected() {
		return this.ended.get() ? Mono.empty()
				: (this.persistent != null) ? this.persistent.connected() : this.hubs.connected();
	}

	/** The client came back on a new transport ({@code /reconnect}): the hubs' OnReconnected run. */
	public Mono<Void> reconnected() {
		return (this.ended.get() || this.persistent != null) ? Mono.empty() : this.hubs.reconnected();
	}

	/**
	 * Attaches a live channel (replacing the one before, which ends), then writes the init message on
	 * {@code /connect}, or on {@code /reconnect} everything after the client's cursor.
	 * @param messageId the client's cursor ({@code /reconnect})
	 */
	public void attach(LegacyTransport channel, TransportType type, @Nullable String messageId, boolean reconnect) {
		LegacyTransport previous;
		Poll waiting;
		synchronized (this) {
			if (this.ended.get()) {
				channel.end();
				return;
			}
			this.transport = type;
			previous = this.live;
			waiting = this.poll;
			this.poll = null;
			this.live = channel;
			this.timer.cancel();
			if (reconnect) {
				long seq = this.buffer.position(messageId);
				this.buffer.acknowledge(seq);
				if (this.buffer.hasAfter(seq)) {
					channel.write(utf8(this.buffer.response(seq, "")));
				}
			}
			else {
				channel.write(utf8("{\"C\":\"" + this.buffer.cursor(this.buffer.last()) + "\",\"S\":1,\"M\":[]}"));
			}
		}
		if (previous != null && previous != channel) {
			previous.end();
		}
		if (waiting != null) {
			waiting.sink.success(emptyResponse(waiting.after));
		}
	}

	/** A live channel is gone: the disconnect timeout starts (after the reference's threshold). */
	public void detach(LegacyTransport channel) {
		synchronized (this) {
			if (this.live != channel) {
				return;
			}
			this.live = null;
			this.timer.start(LegacyOptions.FOREVER_DISCONNECT_THRESHOLD);
		}
	}

	/** The long-polling {@code /connect} response: the init message, at once. */
	public String longPollConnect() {
		synchronized (this) {
			this.transport = TransportType.LONG_POLLING;
			this.timer.start(this.owner.options().longPollDelay());
			return "{\"C\":\"" + this.buffer.cursor(this.buffer.last()) + "\",\"S\":1,\"M\":[]" + delay() + "}";
		}
	}

	/**
	 * A long poll ({@code /poll} or longPolling's {@code /reconnect}): completes with the messages after
	 * the client's cursor as soon as there are any, else after the ConnectionTimeout with none.
	 */
	public Mono<String> poll(@Nullable String messageId) {
		return Mono.create((sink) -> {
			Poll previous;
			Poll waiting;
			synchronized (this) {
				if (this.ended.get()) {
					sink.success(emptyResponse(this.buffer.last()));
					return;
				}
				this.transport = TransportType.LONG_POLLING;
				long seq = this.buffer.position(messageId);
				this.buffer.acknowledge(seq);
				this.timer.cancel();
				previous = this.poll;
				this.poll = null;
				if (this.buffer.hasAfter(seq)) {
					this.timer.start(this.owner.options().longPollDelay());
					waiting = null;
				}
				else {
					waiting = new Poll(seq, sink);
					this.poll = waiting;
				}
				if (waiting == null) {
					sink.success(this.buffer.response(seq, delay()));
				}
			}
			if (previous != null) {
				previous.sink.success(emptyResponse(previous.after));
			}
			if (waiting != null) {
				Disposable timeout = Mono.delay(this.owner.options().connectionTimeout())
					.subscribe((tick) -> completePoll(waiting, true));
				sink.onDispose(() -> {
					timeout.dispose();
					completePoll(waiting, false);
				});
			}
		});
	}

	private void completePoll(Poll waiting, boolean answer) {
		synchronized (this) {
			if (this.poll != waiting) {
				return;
			}
			this.poll = null;
			if (!this.ended.get()) {
				this.timer.start(this.owner.options().longPollDelay());
			}
		}
		if (answer) {
			waiting.sink.success(emptyResponse(waiting.after));
		}
	}

	private synchronized String emptyResponse(long seq) {
		return "{\"C\":\"" + this.buffer.cursor(Math.max(seq, this.buffer.last())) + "\"" + delay()
				+ (this.shuttingDown ? ",\"T\":1" : "") + ",\"M\":[]}";
	}

	private String delay() {
		Duration delay = this.owner.options().longPollDelay();
		return (this.transport == TransportType.LONG_POLLING && !delay.isZero()) ? ",\"L\":" + delay.toMillis() : "";
	}

	static byte[] utf8(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	/** Buffers one JSON value and delivers it to the live channel or a waiting poll. */
	boolean buffered(byte[] json) {
		Poll answered = null;
		long after = 0;
		String response = null;
		synchronized (this) {
			long seq = this.buffer.append(json);
			LegacyTransport channel = this.live;
			if (channel != null) {
				channel.write(this.buffer.cursorPrefix(), seq, json);
			}
			else if (this.poll != null) {
				answered = this.poll;
				after = answered.after;
				this.poll = null;
				response = this.buffer.response(after, delay());
				this.timer.start(this.owner.options().longPollDelay());
			}
		}
		if (answered != null) {
			answered.sink.success(response);
		}
		return true;
	}

	/** The live channel, if any: results of invocations it carried go back on it. */
	synchronized @Nullable LegacyTransport live() {
		return this.live;
	}

	/** The hub invocations of this connection waiting for their results. */
	LegacyHubInvocations invocations() {
		return this.invocations;
	}

	/**
	 * Runs what the client sent (a WebSocket frame, the {@code data} of {@code /send}): a hub invocation,
	 * answered with its result JSON. Anything that is not an invocation completes empty.
	 */
	public Mono<String> receive(String data) {
		if (this.persistent != null) {
			return this.ended.get() ? Mono.empty() : this.persistent.received(data).then(Mono.empty());
		}
		return this.invocations.receive(data);
	}

	/** The client stopped the connection ({@code /abort}): it ends, OnDisconnected runs without a cause. */
	public Mono<Void> abort() {
		return end(null);
	}

	/** Ends the connection from the server side (a hub aborted it). */
	void close() {
		end(null).subscribe();
	}

	/** The server shuts down: a waiting poll is answered with {@code "T":1}, and the connection ends. */
	Mono<Void> shutdown() {
		synchronized (this) {
			this.shuttingDown = true;
		}
		return end(null);
	}

	/**
	 * Ends the connection once: its channel ends, it leaves the hubs' lifetime managers, and the hubs'
	 * OnDisconnected run with {@code cause} ({@code null} when stopped, a {@link TimeoutException} when
	 * it timed out).
	 */
	Mono<Void> end(@Nullable Throwable cause) {
		if (!this.ended.compareAndSet(false, true)) {
			return Mono.empty();
		}
		LegacyTransport channel;
		Poll waiting;
		synchronized (this) {
			this.timer.cancel();
			channel = this.live;
			this.live = null;
			waiting = this.poll;
			this.poll = null;
		}
		this.owner.remove(this.id);
		if (channel != null) {
			channel.end();
		}
		if (waiting != null) {
			waiting.sink.success(emptyResponse(waiting.after));
		}
		this.invocations.clear();
		return (this.persistent != null) ? this.persistent.disconnected(cause) : this.hubs.disconnected(cause);
	}

	/** Starts the disconnect timeout of a connection that has not attached a transport yet. */
	void awaitTransport() {
		synchronized (this) {
			this.timer.start(this.owner.options().transportConnectTimeout());
		}
	}

	private void timedOut() {
		synchronized (this) {
			if (this.live != null || this.poll != null) {
				return;
			}
		}
		logger.debug("Connection " + this.id + " timed out without a transport");
		end(new TimeoutException("The client did not come back within the DisconnectTimeout.")).subscribe();
	}

	@Override
	public String toString() {
		return "LegacyConnection[" + this.id + "]";
	}
	private record Poll(long after, MonoSink<String> sink) {
	}
}
