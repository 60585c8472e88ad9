package io.github.springsignalr.connection;

import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connections;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * A connection of the HTTP connection layer: its id and secret token, the transport it uses once
 * connected, and its bounded outbound queue, which the transport drains.
 * <p>
 * One object in layers, one role each: the outbound queue and the state the send path reads
 * ({@link HttpConnectionOutbound}), the data of POST bodies ({@link HttpConnectionInbound}), the
 * transport's attach, loss and stateful reconnect ({@link HttpConnectionTransport}), and how the
 * connection ends ({@link HttpConnectionClosing}). This class adds what the handler keeps on it and the
 * {@linkplain #feature(Class) capabilities} it offers.
 */
public final class HttpConnection extends HttpConnectionClosing
		implements ConnectionFeatures.HandlerState, ConnectionFeatures.Heartbeat, ConnectionFeatures.AuthenticationRefresh {

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

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HttpConnection, Map> ITEMS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class, Map.class, "items");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<HttpConnection, Set> RAW_GROUPS =
			AtomicReferenceFieldUpdater.newUpdater(HttpConnection.class, Set.class, "rawGroups");

	private static final ConnectionFeatures.InherentKeepAlive INHERENT_KEEP_ALIVE = new ConnectionFeatures.InherentKeepAlive() {
	};

	/** Created on first use, as {@link #rawGroups}: most connections never use them. */
	private volatile @Nullable Map<Object, Object> items;

	private volatile @Nullable Set<String> rawGroups;

	/** The transfer format is binary (a boolean rather than a reference: one field smaller). */
	private volatile boolean binary;

	private volatile @Nullable Object handlerState;

	private volatile @Nullable Runnable heartbeat;

	private volatile @Nullable Runnable transportHeartbeat;

	private volatile @Nullable String owner;

	private volatile ConnectionFeatures.@Nullable AuthenticationRefreshListener refreshListener;

	HttpConnection(String id, String token, ConnectionRoute endpoint, ConnectionManager manager) {
		super(id, token, endpoint, manager);
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
		return this.binary ? TransferFormat.BINARY : TransferFormat.TEXT;
	}

	@Override
	public void transferFormat(TransferFormat format) {
		this.binary = format == TransferFormat.BINARY;
	}

	@Override
	public Connections connections() {
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

	/**
	 * The capabilities of this connection: all but {@link ConnectionFeatures.StatefulReconnect} (only when
	 * negotiated) and {@link ConnectionFeatures.InherentKeepAlive} (only over long polling).
	 */
	@Override
	public <T> @Nullable T feature(Class<T> type) {
		if (type == ConnectionFeatures.StatefulReconnect.class && !statefulReconnect()) {
			return null;
		}
		if (type == ConnectionFeatures.InherentKeepAlive.class) {
			return (transportOrNull() == TransportType.LONG_POLLING) ? type.cast(INHERENT_KEEP_ALIVE) : null;
		}
		return type.isInstance(this) ? type.cast(this) : null;
	}

	/** The name of the user who negotiated the connection, if any. */
	public @Nullable String owner() {
		return this.owner;
	}

	/** Records who negotiated the connection: only that user may use its token. */
	public void owner(@Nullable String owner) {
		this.owner = owner;
	}

	@Override
	public void onAuthenticationRefresh(ConnectionFeatures.@Nullable AuthenticationRefreshListener listener) {
		this.refreshListener = listener;
	}

	/**
	 * Replaces the connection's principal with a refreshed one of the same user, when the handler (which
	 * may know the user by another identifier than the name) accepts it.
	 * @return {@code false} when the connection is closed or its handler refuses the new principal
	 */
	public boolean refreshUser(Principal user) {
		ConnectionFeatures.AuthenticationRefreshListener listener = this.refreshListener;
		if (this.closing || this.state == State.CLOSED || (listener != null && !listener.accepts(user))) {
			return false;
		}
		user(user);
		if (listener != null) {
			listener.refreshed(user);
		}
		return true;
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

	/** Registers transport work to run on every heartbeat tick (long polling's poll timeout). */
	public void onTransportHeartbeat(@Nullable Runnable heartbeat) {
		this.transportHeartbeat = heartbeat;
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

	@Override
	public String toString() {
		return "HttpConnection[" + this.id + "]";
	}
}
