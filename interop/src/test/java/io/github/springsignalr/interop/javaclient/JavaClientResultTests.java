package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.interop.InteropApplication;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;

/**
 * Client results with the official Java client's {@code onWithResult}: the server asks a connection for a
 * value, through {@code GET /clientresult/{connectionId}} (target {@code Result} on {@code /testhub}) and from
 * hub methods of {@code /features} that ask their own caller, over both transports of the client.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ParameterizedClass(name = "over {0}")
@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
class JavaClientResultTests {

	@LocalServerPort
	private int port;

	@Parameter
	private TransportEnum transport;

	private JavaClients clients;

	@BeforeEach
	void createClients() {
		this.clients = new JavaClients(this.port);
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	private HubConnection build(String path) {
		return this.clients.build(path, (builder) -> builder.withTransport(this.transport));
	}

	/** What {@code GET /clientresult/{connectionId}} answers: the client's result or its error text. */
	private String askForResult(HubConnection connection) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.clients.url("/clientresult/" + connection.getConnectionId())))
			.timeout(JavaClients.TIMEOUT)
			.GET()
			.build();
		HttpResponse<String> response = HttpClient.newBuilder()
			.connectTimeout(JavaClients.TIMEOUT)
			.build()
			.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@Test
	void answersTheServerWithTheHandlersResult() throws Exception {
		HubConnection connection = build("/testhub");
		connection.onWithResult("Result", () -> Single.just(10));
		JavaClients.started(connection);

		assertThat(askForResult(connection)).isEqualTo("10");
		// the connection keeps working after answering
		assertThat(await(connection.invoke(String.class, "Echo", "after the result"))).isEqualTo("after the result");
	}

	@Test
	void answersWithTheResultOfASingleThatCompletesLater() throws Exception {
		HubConnection connection = build("/testhub");
		connection.onWithResult("Result", () -> Single.fromCallable(() -> 12).subscribeOn(Schedulers.io()));
		JavaClients.started(connection);

		assertThat(askForResult(connection)).isEqualTo("12");
	}

	@Test
	void reportsTheMessageOfAnExceptionThrownByTheHandler() throws Exception {
		HubConnection connection = build("/testhub");
		connection.onWithResult("Result", () -> {
			throw new IllegalStateException("from callback");
		});
		JavaClients.started(connection);

		assertThat(askForResult(connection)).isEqualTo("from callback");
		assertThat(await(connection.invoke(String.class, "Echo", "after the error"))).isEqualTo("after the error");
	}

	@Test
	void reportsTheMessageOfAFailedSingle() throws Exception {
		HubConnection connection = build("/testhub");
		connection.onWithResult("Result", () -> Single.<Integer>error(new IllegalStateException("failed single")));
		JavaClients.started(connection);

		assertThat(askForResult(connection)).isEqualTo("failed single");
	}

	@Test
	void reportsTheJavaClientsOwnTextWhenNoHandlerReturnsAResult() throws Exception {
		HubConnection connection = build("/testhub");
		JavaClients.started(connection);

		// the JS client says "Client didn't provide a result."; the Java client words it differently
		assertThat(askForResult(connection)).isEqualTo("Client did not provide a result.");
	}

	@Test
	void answersAHubMethodThatAsksItsOwnCaller() {
		HubConnection connection = build("/features");
		connection.onWithResult("GetNumber", () -> Single.just(41));
		JavaClients.started(connection);

		assertThat(await(connection.invoke(Integer.class, "AskCaller"))).isEqualTo(42);
	}

	@Test
	void servesATypedClientProxyWithANotificationAndAResult() {
		HubConnection connection = build("/features");
		List<String> notified = new CopyOnWriteArrayList<>();
		// the proxy sends the interface method's name as is: "notify", and "Compute" from @HubMethodName
		connection.on("notify", notified::add, String.class);
		connection.onWithResult("Compute", (Integer value) -> Single.just(value * 2), Integer.class);
		JavaClients.started(connection);

		assertThat(await(connection.invoke(Integer.class, "TypedRoundTrip", 21))).isEqualTo(42);
		// messages to one connection arrive in order: the notification came before the invocation
		assertThat(notified).containsExactly("computing 21");
	}
}
