package io.github.springsignalr.connection;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.TransportType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection ids and tokens, and the heartbeat that cleans up connections that never connect.
 */
class ConnectionManagerTests {

	private static final String BASE64URL_128_BITS = "[A-Za-z0-9_-]{22}";

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ConnectionTestSupport.RecordingHandler handler = new ConnectionTestSupport.RecordingHandler();

	private ConnectionManager manager = new ConnectionManager(Duration.ofSeconds(1));

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	private ConnectionRoute endpoint(Duration disconnectTimeout) {
		return ConnectionTestSupport.endpoint(disconnectTimeout, 1024 * 1024, this.handler);
	}

	@Test
	void givesVersion1ConnectionsASecretTokenApartFromTheId() {
		HttpConnection connection = this.manager.create(endpoint(Duration.ofSeconds(15)), 1);

		assertThat(connection.id()).matches(BASE64URL_128_BITS);
		assertThat(connection.token()).matches(BASE64URL_128_BITS).isNotEqualTo(connection.id());
		assertThat(this.manager.get(connection.token())).isSameAs(connection);
		assertThat(this.manager.get(connection.id())).isNull();
	}

	@Test
	void usesTheIdAsTokenForVersion0Connections() {
		HttpConnection connection = this.manager.create(endpoint(Duration.ofSeconds(15)), 0);

		assertThat(connection.id()).matches(BASE64URL_128_BITS);
		assertThat(connection.token()).isEqualTo(connection.id());
		assertThat(this.manager.get(connection.id())).isSameAs(connection);
	}

	@Test
	void createsDistinctIds() {
		ConnectionRoute endpoint = endpoint(Duration.ofSeconds(15));
		Set<String> values = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			HttpConnection connection = this.manager.create(endpoint, 1);
			values.add(connection.id());
			values.add(connection.token());
		}

		assertThat(values).hasSize(400);
		assertThat(this.manager.count()).isEqualTo(200);
	}

	@Test
	void removesNegotiatedConnectionThatNeverConnectsAfterDisconnectTimeout() {
		this.manager.close();
		this.manager = new ConnectionManager(Duration.ofMillis(20));
		ConnectionRoute endpoint = endpoint(Duration.ofMillis(200));
		HttpConnection idle = this.manager.create(endpoint, 1);
		HttpConnection active = this.manager.create(endpoint, 1);
		active.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		});

		await().atMost(TIMEOUT).until(() -> this.manager.get(idle.token()) == null);

		assertThat(idle.state()).isEqualTo(HttpConnection.State.CLOSED);
		assertThat(idle.isClosed()).isTrue();
		assertThat(this.manager.get(active.token())).isSameAs(active);
		assertThat(active.state()).isEqualTo(HttpConnection.State.CONNECTED);
		assertThat(this.handler.disconnected).isEmpty();
	}

	@Test
	void runsHeartbeatOfConnectedConnections() {
		this.manager.close();
		this.manager = new ConnectionManager(Duration.ofMillis(20));
		HttpConnection connection = this.manager.create(endpoint(Duration.ofSeconds(15)), 1);
		AtomicInteger beats = new AtomicInteger();
		connection.onHeartbeat(beats::incrementAndGet);
		connection.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		});

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(beats).hasValueGreaterThan(1));
	}

	@Test
	void forgetsConnectionWhoseTransportEnded() {
		HttpConnection connection = this.manager.create(endpoint(Duration.ofSeconds(15)), 1);
		connection.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		});

		connection.transportEnded(null);

		assertThat(this.manager.get(connection.token())).isNull();
		assertThat(this.manager.count()).isZero();
		assertThat(this.handler.disconnected).containsExactly(connection);
	}

	@Test
	void closesEveryConnectionOnShutdown() {
		ConnectionRoute endpoint = endpoint(Duration.ofSeconds(15));
		HttpConnection negotiated = this.manager.create(endpoint, 1);
		HttpConnection connected = this.manager.create(endpoint, 1);
		connected.attach(TransportType.WEB_SOCKETS, ConnectionTestSupport.request(), null, () -> {
		});

		assertThat(this.manager.isShuttingDown()).isFalse();

		this.manager.shutdown(Duration.ofMillis(100));

		assertThat(this.manager.isShuttingDown()).as("negotiates are refused from now on").isTrue();
		assertThat(negotiated.isClosed()).isTrue();
		assertThat(connected.isClosed()).isTrue();
		assertThat(this.manager.get(negotiated.token())).isNull();
	}

}
