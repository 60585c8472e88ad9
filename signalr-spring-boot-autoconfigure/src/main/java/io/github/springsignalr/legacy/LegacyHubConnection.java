package io.github.springsignalr.legacy;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.Connections;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * What one hub sees of a classic connection: a {@link Connection} with the connection's id, user and
 * request, whose sends go into the connection's buffer (client invocations) or to the request waiting
 * for a result. One per hub the connection uses, all with the same id.
 */
final class LegacyHubConnection implements Connection, ConnectionFeatures.HandlerState {

	private final LegacyConnection connection;

	private final LegacyHub hub;

	private volatile @Nullable Object handlerState;

	private volatile @Nullable HubConnectionContext context;

	private volatile boolean started;

	LegacyHubConnection(LegacyConnection connection, LegacyHub hub) {
		this.connection = connection;
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

	/** The hub knows the connection as connected (its OnConnected ran or is running). */
	void started() {
		this.started = true;
	}

	boolean isStarted() {
		return this.started;
	}

	/**
	 * Sends a progress report of a running invocation.
	 * @throws IllegalStateException when the invocation has completed
	 */
	void progress(String invocationId, String json) {
		this.connection.progress(invocationId, json);
	}

	/** The caller state of a running invocation. */
	LegacyCallerState callerState(String invocationId) {
		return this.connection.callerState(invocationId);
	}

	/** The hub name an invocation was sent with. */
	String hubAsSent(String invocationId) {
		return this.connection.hubAsSent(invocationId, this.hub.name());
	}

	@Override
	public String id() {
		return this.connection.id();
	}

	@Override
	public TransportType transport() {
		return this.connection.transport();
	}

	@Override
	public ConnectionRequest request() {
		return this.connection.request();
	}

	@Override
	public @Nullable Principal user() {
		return this.connection.user();
	}

	@Override
	public Map<Object, Object> items() {
		return this.connection.items();
	}

	@Override
	public TransferFormat transferFormat() {
		return TransferFormat.TEXT;
	}

	@Override
	public void transferFormat(TransferFormat format) {
		// always text
	}

	@Override
	public boolean send(byte[] data) {
		return this.connection.outbound(data);
	}

	@Override
	public void close() {
		this.connection.close();
	}

	@Override
	public void abort(@Nullable Throwable cause) {
		this.connection.close();
	}

	@Override
	public boolean isClosed() {
		return this.connection.isEnded();
	}

	@Override
	public Connections connections() {
		throw new UnsupportedOperationException("A hub connection of ASP.NET SignalR 2 has no persistent-connection"
				+ " endpoint");
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T feature(Class<T> type) {
		return (type == ConnectionFeatures.HandlerState.class) ? (T) this : null;
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
}
