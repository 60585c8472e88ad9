package io.github.springsignalr.hub;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.Connections;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnAuthenticationRefreshed;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.TransferFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's part in an authentication refresh: a refreshed principal must keep the connection's user
 * identifier (from the application's {@link UserIdProvider}, which may know users by more than their
 * name), and once it replaced the old one the hub's {@link OnAuthenticationRefreshed} callback sees it.
 */
class HubAuthenticationRefreshTests {

	private static final String RS = "\u001e";

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final Scheduler blocking = Schedulers.newBoundedElastic(4, 100, "hub-refresh-test");

	private final RefreshedHub hub = new RefreshedHub();

	@AfterEach
	void disposeScheduler() {
		this.blocking.dispose();
	}

	/** A user of a tenant: the application's user identifier is both. */
	record TenantUser(String getName, String tenant, Instant expiry) implements Principal {
	}

	/** Records the principal its callback saw. */
	public static class RefreshedHub {

		final List<Principal> refreshed = new CopyOnWriteArrayList<>();

		public String echo(String text) {
			return text;
		}

		@OnAuthenticationRefreshed
		public void onRefreshed(HubCallerContext context) {
			this.refreshed.add(context.user());
		}
	}

	@Test
	void refreshedPrincipalMustKeepTheUserIdentifierAndReachesTheHubsCallback() {
		HubConnectionHandler handler = handler();
		TenantUser first = new TenantUser("alice", "north", Instant.now().plusSeconds(30));
		RefreshableConnection connection = new RefreshableConnection(first);
		StepVerifier.create(handler.onConnected(connection)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(handler.onReceived(connection,
				("{\"protocol\":\"json\",\"version\":1}" + RS).getBytes(StandardCharsets.UTF_8)))
			.expectComplete()
			.verify(TIMEOUT);
		ConnectionFeatures.AuthenticationRefreshListener listener = connection.listener;
		assertThat(listener).as("the handler takes part in refreshes").isNotNull();

		// the same name in another tenant is another user to the application
		assertThat(listener.accepts(new TenantUser("alice", "south", Instant.now().plusSeconds(60)))).isFalse();
		TenantUser second = new TenantUser("alice", "north", Instant.now().plusSeconds(60));
		assertThat(listener.accepts(second)).isTrue();

		connection.user = second;
		listener.refreshed(second);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.hub.refreshed.isEmpty() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.hub.refreshed).containsExactly(second);
		HubConnectionContext context = (HubConnectionContext) connection.handlerState;
		assertThat(context).isNotNull();
		assertThat(context.authenticationExpiry).isEqualTo(second.expiry());
		assertThat(context.userIdentifier()).isEqualTo("north/alice");
	}

	private HubConnectionHandler handler() {
		HubOptions options = new HubOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(15),
				32 * 1024, 1, false, 10);
		UserIdProvider userIds = (connection) -> (connection.user() instanceof TenantUser user)
				? user.tenant() + "/" + user.getName() : null;
		HubConnectionHandler handler = new HubConnectionHandler("RefreshedHub", this.hub,
				HubDescriptor.of(RefreshedHub.class), List.of(new JsonHubProtocol(JsonMapper.builder().build())),
				options, new DefaultHubLifetimeManager(), userIds, this.blocking);
		handler.setAuthenticationExpiration((user) -> ((TenantUser) user).expiry());
		return handler;
	}

	/** A connection whose principal can be replaced, as an HTTP connection's is. */
	private static final class RefreshableConnection
			implements Connection, ConnectionFeatures.AuthenticationRefresh, ConnectionFeatures.HandlerState {

		private final RecordingConnection frames = new RecordingConnection("c1");

		volatile Principal user;

		volatile ConnectionFeatures.@Nullable AuthenticationRefreshListener listener;

		volatile @Nullable Object handlerState;

		RefreshableConnection(Principal user) {
			this.user = user;
		}

		@Override
		public void onAuthenticationRefresh(ConnectionFeatures.@Nullable AuthenticationRefreshListener listener) {
			this.listener = listener;
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
		public <T> @Nullable T feature(Class<T> type) {
			return type.isInstance(this) ? type.cast(this) : null;
		}

		@Override
		public @Nullable Principal user() {
			return this.user;
		}

		@Override
		public String id() {
			return this.frames.id();
		}

		@Override
		public TransportType transport() {
			return this.frames.transport();
		}

		@Override
		public ConnectionRequest request() {
			return this.frames.request();
		}

		@Override
		public Map<Object, Object> items() {
			return this.frames.items();
		}

		@Override
		public TransferFormat transferFormat() {
			return this.frames.transferFormat();
		}

		@Override
		public void transferFormat(TransferFormat format) {
			this.frames.transferFormat(format);
		}

		@Override
		public boolean send(byte[] data) {
			return this.frames.send(data);
		}

		@Override
		public void close() {
			this.frames.close();
		}

		@Override
		public void abort(@Nullable Throwable cause) {
			this.frames.abort(cause);
		}

		@Override
		public boolean isClosed() {
			return this.frames.isClosed();
		}

		@Override
		public Connections connections() {
			return this.frames.connections();
		}
	}
}
