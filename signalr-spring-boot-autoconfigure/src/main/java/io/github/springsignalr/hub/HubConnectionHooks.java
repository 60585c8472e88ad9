package io.github.springsignalr.hub;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.Connections;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * What the hub registers on one connection, in one object: its heartbeat ({@link #run()}: keep-alive, timeouts),
 * what ends it when its transport did not take what the client sent ({@link #accept(RuntimeException)}), and
 * its part in an authentication refresh.
 * <p>
 * A refreshed principal must map to the connection's user identifier (so {@code Clients.User} keeps reaching
 * it, as in the reference, which does not rekey user routing), and once it has replaced the old one the
 * authentication expiry follows it and the hub's {@link io.github.springsignalr.OnAuthenticationRefreshed}
 * callback runs. Before the handshake the hub has no part in it: any principal goes.
 */
final class HubConnectionHooks
		implements ConnectionFeatures.AuthenticationRefreshListener, Runnable, Consumer<RuntimeException> {

	private static final Log logger = LogFactory.getLog(HubConnectionHooks.class);

	private final HubConnectionHandler handler;

	private final HubConnectionContext context;

	HubConnectionHooks(HubConnectionHandler handler, HubConnectionContext context) {
		this.handler = handler;
		this.context = context;
	}

	/** A heartbeat tick of the connection. */
	@Override
	public void run() {
		this.handler.heartbeat().tick(this.context);
	}

	/** The client sent more than the transport takes (a POST over its limit): invalid data. */
	@Override
	public void accept(RuntimeException error) {
		this.handler.invalidData(this.context, error);
	}

	@Override
	public boolean accepts(Principal user) {
		if (!this.context.handshakeDone()) {
			return true;
		}
		String userId = this.handler.userIdProvider()
			.getUserId(new RefreshedConnection(this.context.connection(), user));
		return Objects.equals(userId, this.context.userIdentifier());
	}

	@Override
	public void refreshed(Principal user) {
		if (!this.context.handshakeDone()) {
			return;
		}
		this.context.authenticationExpiry(this.handler.authenticationExpiry(this.context.connection()));
		this.handler.dispatcher()
			.onAuthenticationRefreshed(this.context)
			.subscribe(null, (ex) -> logger.warn("OnAuthenticationRefreshed of hub " + this.handler.hubName()
					+ " failed for connection " + this.context.connectionId(), ex));
	}

	/** The connection as it would be with the refreshed principal, for the {@link UserIdProvider}. */
	private record RefreshedConnection(Connection connection, Principal user) implements Connection {

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
		public Map<Object, Object> items() {
			return this.connection.items();
		}

		@Override
		public TransferFormat transferFormat() {
			return this.connection.transferFormat();
		}

		@Override
		public void transferFormat(TransferFormat format) {
			this.connection.transferFormat(format);
		}

		@Override
		public boolean send(byte[] data) {
			return this.connection.send(data);
		}

		@Override
		public void close() {
			this.connection.close();
		}

		@Override
		public void abort(@Nullable Throwable cause) {
			this.connection.abort(cause);
		}

		@Override
		public boolean isClosed() {
			return this.connection.isClosed();
		}

		@Override
		public Connections connections() {
			return this.connection.connections();
		}

		@Override
		public <T> @Nullable T feature(Class<T> type) {
			return this.connection.feature(type);
		}
	}
}
