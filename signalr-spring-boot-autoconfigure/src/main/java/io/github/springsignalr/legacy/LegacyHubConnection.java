package io.github.springsignalr.legacy;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.Connections;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * What one hub sees of a classic connection: a {@link Connection} with the connection's id, user and
 * request, whose sends go into the connection's buffer (client invocations) or to the request waiting
 * for a result. One per hub the connection uses, all with the same id.
 */
final class LegacyHubConnection extends LegacyView implements ConnectionFeatures.HandlerState,
		ConnectionFeatures.Heartbeat, ConnectionFeatures.InherentKeepAlive {

	private final LegacyHub hub;

	private volatile @Nullable Object handlerState;

	private volatile @Nullable HubConnectionContext context;

	private volatile boolean started;

	private volatile @Nullable Runnable heartbeat;

	/** What the hub's endpoint holds while the connection is connected: raw sends as JSON values. */
	private final Member member = new Member(this);

	private volatile SignalRMetrics.ConnectionMetrics metrics = SignalRMetrics.ConnectionMetrics.NOOP;

	LegacyHubConnection(LegacyConnection connection, LegacyHub hub) {
		super(connection);
		this.hub = hub;
	}

	LegacyHub hub() {
		return this.hub;
	}

	HubConnectionContext context() {
		HubConnectionContext context = this.context;
		if (context == null) {
			throw new IllegalStateException("Hub " + this.hub.name() + " is not open on " + this.connection);
		}
		return context;
	}

	void context(HubConnectionContext context) {
		this.context = context;
	}

	/**
	 * The hub knows the connection as connected (its OnConnected ran or is running): it joins the hub's
	 * endpoint and counts as an active connection.
	 */
	void started() {
		this.started = true;
		this.hub.route().addConnection(this.member);
		this.metrics = this.connection.metrics().connectionStarted(this.hub.name(), transport());
	}

	/** The connection ended: it leaves the hub's endpoint, and its end is counted. */
	void ended(@Nullable Throwable cause) {
		this.hub.route().removeConnection(this.member);
		this.metrics.ended(this.connection.endStatus(cause), null);
	}

	boolean isStarted() {
		return this.started;
	}

	/**
	 * Sends a progress report of a running invocation.
	 * @throws IllegalStateException when the invocation has completed
	 */
	void progress(String invocationId, String json) {
		this.connection.invocations().progress(invocationId, json);
	}

	/** The caller state of a running invocation. */
	LegacyCallerState callerState(String invocationId) {
		return this.connection.invocations().callerState(invocationId);
	}

	/** The hub name an invocation was sent with. */
	String hubAsSent(String invocationId) {
		return this.connection.invocations().hubAsSent(invocationId, this.hub.name());
	}

	@Override
	public boolean send(byte[] data) {
		return this.connection.invocations().outbound(data);
	}

	/**
	 * The hub's endpoint, as for its ASP.NET Core connections: raw sends reach this hub's connections of
	 * both generations (a classic one gets each as one JSON value) and its raw groups.
	 */
	@Override
	public Connections connections() {
		return this.hub.route();
	}

	/**
	 * The handler state, the heartbeat (the hub's timers: authentication expiry) and inherent keep-alive
	 * (the classic transports keep themselves alive: the hub's Pings are not sent).
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T feature(Class<T> type) {
		return (type == ConnectionFeatures.HandlerState.class || type == ConnectionFeatures.Heartbeat.class
				|| type == ConnectionFeatures.InherentKeepAlive.class) ? (T) this : null;
	}

	@Override
	public void onHeartbeat(@Nullable Runnable tick) {
		this.heartbeat = tick;
	}

	void tick() {
		Runnable heartbeat = this.heartbeat;
		if (heartbeat != null && !isClosed()) {
			heartbeat.run();
		}
	}

	@Override
	public @Nullable Object handlerState() {
		return this.handlerState;
	}

	@Override
	public void handlerState(@Nullable Object state) {
		this.handlerState = state;
	}

	@Override
	public String toString() {
		return "LegacyHubConnection[" + id() + ", " + this.hub.name() + "]";
	}

	/**
	 * A classic hub connection as a member of the hub's endpoint: raw data goes into the buffer as one
	 * JSON value (the hub's own messages go through the view), and the handler state is the view's.
	 */
	private static final class Member extends LegacyView {

		private final LegacyHubConnection view;

		Member(LegacyHubConnection view) {
			super(view.connection);
			this.view = view;
		}

		@Override
		public boolean send(byte[] data) {
			return !isClosed() && this.connection.buffered(jsonValue(this.connection.mapper(), data));
		}

		@Override
		public Connections connections() {
			return this.view.connections();
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> @Nullable T feature(Class<T> type) {
			return (type == ConnectionFeatures.HandlerState.class) ? (T) this.view : null;
		}

		@Override
		public String toString() {
			return "LegacyHubConnection.Member[" + id() + ", " + this.view.hub.name() + "]";
		}
	}
}
