package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionState;

import io.github.springsignalr.interop.InteropApplication;

/** Starting, stopping and restarting official Java client connections, alone and side by side. */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JavaClientConnectionLifecycleTests {

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
	void getsNewConnectionIdWhenStartedAgainAfterStop() {
		HubConnection connection = this.clients.connect("/testhub");
		String firstId = await(connection.invoke(String.class, "GetCallerConnectionId"));
		await(connection.stop());
		assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);

		JavaClients.started(connection);
		String secondId = await(connection.invoke(String.class, "GetCallerConnectionId"));
		assertThat(secondId).isEqualTo(connection.getConnectionId()).isNotEqualTo(firstId);
		assertThat(await(connection.invoke(String.class, "Echo", "still works"))).isEqualTo("still works");
	}

	@Test
	void reportsCleanStopToOnClosedWithoutException() throws Exception {
		HubConnection connection = this.clients.build("/testhub");
		CompletableFuture<Optional<Exception>> closed = new CompletableFuture<>();
		connection.onClosed((exception) -> closed.complete(Optional.ofNullable(exception)));
		JavaClients.started(connection);
		await(connection.stop());
		assertThat(closed.get(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
	}

	@Test
	void keepsTwoConnectionsIndependent() throws Exception {
		HubConnection first = this.clients.build("/testhub");
		HubConnection second = this.clients.build("/testhub");
		Inbox firstInbox = Inbox.listen(first, "Message");
		Inbox secondInbox = Inbox.listen(second, "Message");
		JavaClients.started(first);
		JavaClients.started(second);

		String firstId = await(first.invoke(String.class, "GetCallerConnectionId"));
		String secondId = await(second.invoke(String.class, "GetCallerConnectionId"));
		assertThat(firstId).isEqualTo(first.getConnectionId());
		assertThat(secondId).isEqualTo(second.getConnectionId()).isNotEqualTo(firstId);

		await(first.invoke("InvokeWithString", "for the first"));
		await(second.invoke("InvokeWithString", "for the second"));
		assertThat(firstInbox.next()).isEqualTo("Message:for the first");
		assertThat(secondInbox.next()).isEqualTo("Message:for the second");

		await(first.stop());
		assertThat(await(second.invoke(String.class, "Echo", "alone"))).isEqualTo("alone");
	}

	@Test
	void closesWithServerTimeoutWhenServerIsSilentLongerThanTheClientAllows() throws Exception {
		// the negative control of JavaClientKeepAliveTests: the default 15 s keep-alive is too slow here
		HubConnection connection = this.clients.build("/testhub", (builder) -> builder.withServerTimeout(1000));
		CompletableFuture<Optional<Exception>> closed = new CompletableFuture<>();
		connection.onClosed((exception) -> closed.complete(Optional.ofNullable(exception)));
		JavaClients.started(connection);
		assertThat(closed.get(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).hasValueSatisfying(
				(exception) -> assertThat(exception).hasMessageContaining("Server timeout elapsed"));
	}
}
