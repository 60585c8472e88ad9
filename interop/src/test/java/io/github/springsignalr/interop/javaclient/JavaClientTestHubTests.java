package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.google.gson.annotations.SerializedName;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubException;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.interop.InteropApplication;
import io.reactivex.rxjava3.disposables.Disposable;

/**
 * The official Java client against the reference {@code TestHub} at {@code /testhub} with JSON, once over
 * each transport the client has: WebSockets and long polling. It has no Server-Sent Events transport
 * ({@link TransportEnum} 9.0.3 lists only {@code ALL}, {@code WEBSOCKETS} and {@code LONG_POLLING}), and
 * its MessagePack protocol is a separate artifact this build does not use.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ParameterizedClass(name = "over {0}")
@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
class JavaClientTestHubTests {

	@LocalServerPort
	private int port;

	@Parameter
	private TransportEnum transport;

	private JavaClients clients;

	private HubConnection connection;

	@BeforeEach
	void connect() {
		this.clients = new JavaClients(this.port);
		this.connection = this.clients.build("/testhub", (builder) -> builder.withTransport(this.transport));
	}

	@AfterEach
	void disconnect() {
		this.clients.close();
	}

	private HubConnection started() {
		return JavaClients.started(this.connection);
	}

	@Test
	void echoesNonAsciiText() {
		assertThat(await(started().invoke(String.class, "Echo", "你好，世界！"))).isEqualTo("你好，世界！");
	}

	@Test
	void echoesEmptyText() {
		assertThat(await(started().invoke(String.class, "Echo", ""))).isEmpty();
	}

	@Test
	void matchesMethodNamesIgnoringCase() {
		started();
		assertThat(await(this.connection.invoke(String.class, "echo", "lower"))).isEqualTo("lower");
		assertThat(await(this.connection.invoke(String.class, "ECHO", "upper"))).isEqualTo("upper");
	}

	@Test
	void runsFireAndForgetSends() throws Exception {
		Inbox inbox = Inbox.listen(this.connection, "Message");
		started().send("InvokeWithString", "sent without waiting");
		assertThat(inbox.next()).isEqualTo("Message:sent without waiting");
	}

	@Test
	void reportsTheConnectionIdTheClientNegotiated() {
		started();
		assertThat(await(this.connection.invoke(String.class, "GetCallerConnectionId")))
				.isNotBlank().isEqualTo(this.connection.getConnectionId());
	}

	@Test
	void failsInvocationWithTheServerExceptionMessage() {
		started();
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "ThrowException", "An error occurred.")))
				.isInstanceOf(HubException.class)
				.hasMessage("An unexpected error occurred invoking 'ThrowException' on the server. "
						+ "InvalidOperationException: An error occurred.");
	}

	@Test
	void failsInvocationOfUnknownMethod() {
		started();
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "NotAMethod")))
				.isInstanceOf(HubException.class)
				.hasMessage("Failed to invoke 'NotAMethod' due to an error on the server. HubException: Method does not exist.");
	}

	@Test
	void failsInvocationWithWrongArgumentCount() {
		started();
		assertThatThrownBy(() -> await(this.connection.invoke(String.class, "Echo", "one", "two")))
				.isInstanceOf(HubException.class)
				.hasMessage("Failed to invoke 'Echo' due to an error on the server. "
						+ "InvalidDataException: Invocation provides 2 argument(s) but target expects 1.");
	}

	@Test
	void deliversServerInvocationToRegisteredHandler() throws Exception {
		Inbox inbox = Inbox.listen(this.connection, "Message");
		await(started().invoke("InvokeWithString", "hello from the hub"));
		assertThat(inbox.next()).isEqualTo("Message:hello from the hub");
	}

	@Test
	void deliversCustomObjectToHandler() throws Exception {
		CompletableFuture<CustomObject> received = new CompletableFuture<>();
		this.connection.on("CustomObject", received::complete, CustomObject.class);
		await(started().invoke("SendCustomObject", new CustomObject("test", 42)));
		assertThat(received.get(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
				.isEqualTo(new CustomObject("test", 42));
	}

	@Test
	void roundTripsComplexObject() {
		ComplexObject sent = new ComplexObject("hello world", new int[] { 1, 2, 3 }, "AQID",
				"00010203-0405-0607-0706-050403020100", "2000-01-01T00:00:00Z");
		ComplexObject echoed = await(started().invoke(ComplexObject.class, "EchoComplexObject", sent));
		assertThat(echoed).usingRecursiveComparison().isEqualTo(sent);
	}

	@Test
	void receivesComplexObjectBuiltByServer() {
		ComplexObject received = await(started().invoke(ComplexObject.class, "SendComplexObject"));
		assertThat(received).usingRecursiveComparison().isEqualTo(new ComplexObject("hello world",
				new int[] { 1, 2, 3 }, "AQID", "00010203-0405-0607-0706-050403020100", "2000-01-01T00:00:00Z"));
	}

	@Test
	void streamsItemsToObservable() {
		List<String> items = started().stream(String.class, "Stream")
				.timeout(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).toList().blockingGet();
		assertThat(items).containsExactly("a", "b", "c");
	}

	@Test
	void completesEmptyStream() {
		List<Integer> items = started().stream(Integer.class, "EmptyStream")
				.timeout(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).toList().blockingGet();
		assertThat(items).isEmpty();
	}

	@Test
	void failsStreamWithTheServerExceptionMessage() {
		assertThatThrownBy(() -> started().stream(String.class, "StreamThrowException", "Stream failed.")
				.timeout(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).toList().blockingGet())
				.isInstanceOf(HubException.class)
				.hasMessage("An unexpected error occurred invoking 'StreamThrowException' on the server. "
						+ "InvalidOperationException: Stream failed.");
	}

	@Test
	void cancelsServerStreamWhenSubscriptionIsDisposed() throws Exception {
		CompletableFuture<Void> canceled = new CompletableFuture<>();
		this.connection.on("StreamCanceled", () -> canceled.complete(null));
		Disposable subscription = started().stream(Object.class, "InfiniteStream").subscribe();
		// the stream invocation is on the wire before the next invocation completes
		await(this.connection.invoke(String.class, "Echo", "after stream"));
		assertThat(canceled).isNotDone();
		subscription.dispose();
		canceled.get(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Test
	void reportsTheChosenTransportAsTheActiveTransport() {
		String expected = (this.transport == TransportEnum.LONG_POLLING) ? "LongPolling" : "WebSockets";
		assertThat(await(started().invoke(String.class, "GetActiveTransportName"))).isEqualTo(expected);
	}

	@Test
	void seesTheJavaClientUserAgent() {
		assertThat(await(started().invoke(String.class, "GetHeader", "User-Agent"))).startsWith("Microsoft SignalR/");
	}

	@Test
	void completesInvocationOfMethodWithoutResult() throws Exception {
		Inbox inbox = Inbox.listen(this.connection, "Message");
		// a Completable invocation of a method returning Mono<Void>: its Completion carries no result
		await(started().invoke("InvokeWithString", "no result"));
		assertThat(inbox.next()).isEqualTo("Message:no result");
	}

	/** The server's {@code CustomObject}, with the .NET property names it travels with. */
	record CustomObject(@SerializedName("Name") String name, @SerializedName("Value") int value) {
	}

	/** The server's {@code ComplexObject}; Jackson writes bytes as base64 and the instant as ISO-8601 text. */
	record ComplexObject(@SerializedName("String") String string, @SerializedName("IntArray") int[] intArray,
			@SerializedName("ByteArray") String byteArray, @SerializedName("Guid") String guid,
			@SerializedName("DateTime") String dateTime) {
	}
}
