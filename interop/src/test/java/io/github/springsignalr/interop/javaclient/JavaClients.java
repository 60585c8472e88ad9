package io.github.springsignalr.interop.javaclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.microsoft.signalr.HttpHubConnectionBuilder;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Single;

/**
 * Builds official Java client connections to the server under test and stops whatever is still
 * connected when closed. Every wait is bounded by {@link #TIMEOUT}.
 */
final class JavaClients implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final int port;

	private final List<HubConnection> connections = new CopyOnWriteArrayList<>();

	JavaClients(int port) {
		this.port = port;
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	/** A connection to {@code path}, not started. */
	HubConnection build(String path) {
		return build(path, UnaryOperator.identity());
	}

	/** A connection to {@code path} built with extra builder settings, not started. */
	HubConnection build(String path, UnaryOperator<HttpHubConnectionBuilder> customizer) {
		HubConnection connection = customizer.apply(HubConnectionBuilder.create(url(path))).build();
		this.connections.add(connection);
		return connection;
	}

	/** A started connection to {@code path}. */
	HubConnection connect(String path) {
		return started(build(path));
	}

	static HubConnection started(HubConnection connection) {
		await(connection.start());
		assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
		return connection;
	}

	static void await(Completable completable) {
		assertThat(completable.blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
				.as("completed within %s", TIMEOUT).isTrue();
	}

	static <T> T await(Single<T> single) {
		return single.timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).blockingGet();
	}

	@Override
	public void close() {
		for (HubConnection connection : this.connections) {
			if (connection.getConnectionState() != HubConnectionState.DISCONNECTED) {
				connection.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
	}
}
