package io.github.springsignalr.connection;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.metrics.SignalRMetrics;
import reactor.core.publisher.Mono;

/**
 * How an {@link HttpConnection} ends: closed or aborted by the server (a Close stuck behind unread data
 * is aborted after the close timeout), ended by its transport, or told that the application shuts down;
 * and the bookkeeping of why, for the metrics of its end. The endpoint and the handler learn of the end
 * once.
 */
abstract sealed class HttpConnectionClosing extends HttpConnectionTransport
		implements ConnectionFeatures.ShutdownNotice, ConnectionFeatures.CloseReporting permits HttpConnection {

	private static final AtomicIntegerFieldUpdater<HttpConnectionClosing> ENDINGS = AtomicIntegerFieldUpdater
		.newUpdater(HttpConnectionClosing.class, "endings");

	/** In {@link #endings}: the endpoint was told of the disconnection. */
	private static final int DISCONNECTED = 1;

	/** In {@link #endings}: the socket was aborted because the connection's Close could not be written in time. */
	private static final int SOCKET_ABORTED = 2;

	/** What happened once in the connection's end ({@link #DISCONNECTED}, {@link #SOCKET_ABORTED}): one int for both. */
	private volatile int endings;

	private volatile @Nullable Runnable shutdown;

	private volatile SignalRMetrics.@Nullable CloseReason closeReason;

	private volatile boolean appShutdown;

	private volatile boolean timedOut;

	HttpConnectionClosing(String id, String token, ConnectionRoute endpoint, ConnectionManager manager) {
		super(id, token, endpoint, manager);
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
		if (shutdown != null && this.state == HttpConnection.State.CONNECTED) {
			shutdown.run();
		}
		else {
			close();
		}
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
		if (this.state == HttpConnection.State.NEGOTIATED) {
			transportEnded(null);
		}
	}

	/**
	 * Aborts the socket of a connection that has been closing for longer than the close timeout: its Close
	 * is stuck behind data the client does not read (in the socket's buffers, the kernel's or ours), and
	 * only an abort frees them. The connection then ends as if its transport had.
	 */
	final void abortIfCloseIsStuck(long now) {
		HttpConnection.TransportSocket socket = this.socket;
		if (socket == null || this.state != HttpConnection.State.CONNECTED
				|| now - this.closingNanos < this.endpoint.options().closeTimeout().toNanos()
				|| !once(SOCKET_ABORTED)) {
			return;
		}
		ConnectionManager.logger.debug("Timed out waiting for the Close of connection " + this.id
				+ " to be written, aborting the connection.");
		this.metrics.aborted();
		socket.abort();
		transportEnded(null);
	}

	/** Sets {@code ending} in {@link #endings}; {@code false} when it was set already. */
	private boolean once(int ending) {
		int endings;
		do {
			endings = this.endings;
			if ((endings & ending) != 0) {
				return false;
			}
		}
		while (!ENDINGS.compareAndSet(this, endings, endings | ending));
		return true;
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
		if (this.state == HttpConnection.State.NEGOTIATED) {
			transportEnded(null);
		}
		abortTransport();
	}

	@Override
	public boolean isClosed() {
		return this.closing || this.state == HttpConnection.State.CLOSED;
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
	 * Called by the transport when it has ended: removes the connection and tells the handler, once.
	 */
	@Override
	public void transportEnded(@Nullable Throwable error) {
		if (!once(DISCONNECTED)) {
			return;
		}
		boolean wasConnected;
		synchronized (this) {
			wasConnected = this.state == HttpConnection.State.CONNECTED
					|| this.state == HttpConnection.State.RECONNECTING;
			this.state = HttpConnection.State.CLOSED;
			this.closing = true;
			if (error != null && this.closeCause == null) {
				this.closeCause = error;
			}
			endOutbound();
		}
		endInbound();
		releaseWritableWaiters();
		HttpConnection connection = (HttpConnection) this;
		this.manager.remove(connection);
		if (wasConnected) {
			this.metrics.ended(status(), this.closeReason);
			this.endpoint.disconnected(connection);
			this.endpoint.handler()
				.onDisconnected(this, this.closeCause)
				.onErrorResume((ex) -> {
					// the reference's FailedDispose
					ConnectionManager.logger.error("Failed disposing connection " + this.id + ".", ex);
					return Mono.empty();
				})
				.subscribe();
		}
	}
}
