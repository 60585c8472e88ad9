package io.github.springsignalr.connection;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * The transport of an {@link HttpConnection} and its state machine: a transport attaches once, and with
 * stateful reconnect a lost WebSocket leaves the connection waiting for its client, which comes back
 * with the same token (a new transport reattaches, or takes over one the server has not seen drop).
 * Each attached transport is a new generation, so a transport that ends after another took its place
 * does not end the connection.
 */
abstract sealed class HttpConnectionTransport extends HttpConnectionInbound
		implements ConnectionFeatures.StatefulReconnect permits HttpConnectionClosing {

	private volatile @Nullable TransportType transport;

	private volatile @Nullable ConnectionRequest request;

	private volatile @Nullable Principal user;

	private volatile @Nullable Runnable transportAbort;

	private volatile boolean statefulReconnect;

	private volatile ConnectionFeatures.@Nullable ReconnectListener reconnectListener;

	/** Since when the connection waits for a transport: its creation, or (reconnecting) the loss of its transport. */
	private volatile long waitingSinceNanos = System.nanoTime();

	private volatile int generation;

	volatile SignalRMetrics.ConnectionMetrics metrics = SignalRMetrics.ConnectionMetrics.NOOP;

	HttpConnectionTransport(String id, String token, ConnectionRoute endpoint, ConnectionManager manager) {
		super(id, token, endpoint, manager);
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

	/** Replaces the principal of the connection (an authentication refresh). */
	void user(Principal user) {
		this.user = user;
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
	 * Attaches a transport. Fails when one is attached already.
	 * @param transportAbort ends the transport at once (drops what is queued)
	 */
	public synchronized boolean attach(TransportType transport, ConnectionRequest request, @Nullable Principal user,
			Runnable transportAbort) {
		if (this.state != HttpConnection.State.NEGOTIATED) {
			return false;
		}
		this.transport = transport;
		this.request = request;
		this.user = user;
		this.transportAbort = transportAbort;
		this.state = HttpConnection.State.CONNECTED;
		this.metrics = this.manager.metrics().connectionStarted(this.endpoint.name(), transport);
		this.endpoint.connected((HttpConnection) this);
		return true;
	}

	@Override
	final void abortTransport() {
		Runnable abort = this.transportAbort;
		if (abort != null) {
			abort.run();
		}
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
				&& this.state == HttpConnection.State.CONNECTED && listener.transportLost();
		Runnable abort;
		synchronized (this) {
			if (!resumable || this.closing || this.state != HttpConnection.State.CONNECTED) {
				abort = null;
			}
			else {
				this.state = HttpConnection.State.RECONNECTING;
				this.waitingSinceNanos = System.nanoTime();
				abort = this.transportAbort;
				this.transportAbort = null;
				restartOutbound();
				this.generation++;
			}
		}
		if (this.state == HttpConnection.State.RECONNECTING) {
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
		if (this.statefulReconnect && this.state == HttpConnection.State.CONNECTED
				&& this.transport == TransportType.WEB_SOCKETS) {
			transportLost(null);
		}
		return this.state == HttpConnection.State.RECONNECTING;
	}

	/**
	 * Attaches a new transport to a connection waiting for its client to reconnect.
	 * @return {@code false} when the connection is not waiting for one
	 */
	public boolean reattach(TransportType transport, ConnectionRequest request, @Nullable Principal user,
			Runnable transportAbort) {
		synchronized (this) {
			if (this.state != HttpConnection.State.RECONNECTING || transport != this.transport) {
				return false;
			}
			this.request = request;
			this.user = user;
			this.transportAbort = transportAbort;
			this.state = HttpConnection.State.CONNECTED;
		}
		ConnectionFeatures.ReconnectListener listener = this.reconnectListener;
		if (listener != null) {
			listener.resumed();
		}
		return true;
	}

	boolean reconnectExpired(long now) {
		return this.state == HttpConnection.State.RECONNECTING
				&& now - this.waitingSinceNanos > this.endpoint.options().disconnectTimeout().toNanos();
	}

	/** When the connection began to wait for a transport: its creation, until one attaches. */
	long waitingSinceNanos() {
		return this.waitingSinceNanos;
	}

	/**
	 * Called by the transport when it has ended: removes the connection and tells the handler, once.
	 */
	public abstract void transportEnded(@Nullable Throwable error);
}
