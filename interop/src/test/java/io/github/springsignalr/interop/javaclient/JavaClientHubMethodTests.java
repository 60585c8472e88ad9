package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.HubException;

import io.github.springsignalr.interop.InteropApplication;

/**
 * How the official Java client sees {@link JavaHub}'s methods: framework-supplied parameters, renamed
 * methods, methods without a result, and a method that aborts the connection.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(JavaUserIdConfiguration.class)
class JavaClientHubMethodTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JavaHubEvents events;

	private JavaClients clients;

	private HubConnection connection;

	private Inbox inbox;

	@BeforeEach
	void connect() throws Exception {
		this.clients = new JavaClients(this.port);
		this.connection = this.clients.build("/java-hub");
		this.inbox = Inbox.listen(this.connection, "Welcome", "Message");
		JavaClients.started(this.connection);
		assertThat(this.inbox.next()).startsWith("Welcome:");
	}

	@AfterEach
	void disconnect() {
		this.clients.close();
	}

	@Test
	void callsMethodWithFrameworkParametersWithOnlyTheClientArgument() throws Exception {
		String result = await(this.connection.invoke(String.class, "DescribeCaller", "labelled"));

		assertThat(result).isEqualTo("labelled@" + this.connection.getConnectionId());
		assertThat(this.inbox.next()).isEqualTo("Message:labelled");
	}

	@Test
	void rejectsFrameworkParametersPassedAsArguments() {
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "DescribeCaller", "labelled", "extra")))
				.isInstanceOf(HubException.class)
				.hasMessage("Failed to invoke 'DescribeCaller' due to an error on the server. "
						+ "InvalidDataException: Invocation provides 2 argument(s) but target expects 1.");
	}

	@Test
	void callsRenamedMethodByItsHubMethodName() {
		assertThat(await(this.connection.invoke(String.class, "Renamed"))).isEqualTo("renamed");
		assertThat(await(this.connection.invoke(String.class, "rENAMED"))).isEqualTo("renamed");
	}

	@Test
	void hidesTheJavaNameOfRenamedMethod() {
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "OriginalName")))
				.isInstanceOf(HubException.class)
				.hasMessage("Failed to invoke 'OriginalName' due to an error on the server. "
						+ "HubException: Method does not exist.");
	}

	@Test
	void hidesLifecycleCallbacksFromClients() {
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "Welcome")))
				.isInstanceOf(HubException.class)
				.hasMessage("Failed to invoke 'Welcome' due to an error on the server. "
						+ "HubException: Method does not exist.");
	}

	@Test
	void completesInvocationOfVoidMethodAfterItRan() {
		await(this.connection.invoke("RecordNote", "noted by the Java client"));

		assertThat(this.events.notes()).contains("noted by the Java client");
	}

	@Test
	void closesClientConnectionWhenHubMethodAborts() throws Exception {
		CompletableFuture<Optional<Exception>> closed = new CompletableFuture<>();
		this.connection.onClosed((exception) -> closed.complete(Optional.ofNullable(exception)));
		String id = this.connection.getConnectionId();

		this.connection.send("AbortConnection");

		// not asserting that onClosed gets no exception: the server closes TCP right after its close
		// frame, so the client sometimes sees "Connection reset by peer" (a known transport race)
		closed.get(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(this.connection.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);
		await().atMost(JavaClients.TIMEOUT).until(() -> this.events.disconnectOf(id).isPresent());
	}
}
