package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionState;

import io.github.springsignalr.interop.InteropApplication;

/**
 * Server keep-alive pings hold an idle Java client connection open beyond the client's server timeout.
 * {@code JavaClientConnectionLifecycleTests} shows the same client closing when the server pings too rarely.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.keep-alive-interval=300ms")
class JavaClientKeepAliveTests {

	private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(1);

	@LocalServerPort
	private int port;

	private JavaClients clients;

	@BeforeEach
	void createClients() {
		this.clients = new JavaClients(this.port);
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	@Test
	void staysConnectedWhileIdleBecauseTheServerPings() throws Exception {
		HubConnection connection = this.clients.build("/testhub",
				(builder) -> builder.withServerTimeout(SERVER_TIMEOUT.toMillis()));
		CompletableFuture<Exception> closed = new CompletableFuture<>();
		connection.onClosed(closed::complete);
		JavaClients.started(connection);

		// idle for four server timeouts: only the server's pings keep the client from giving up
		assertThatExceptionOfType(TimeoutException.class)
				.isThrownBy(() -> closed.get(SERVER_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS));
		assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
		assertThat(await(connection.invoke(String.class, "Echo", "still here"))).isEqualTo("still here");
	}
}
