package io.github.springsignalr.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub runtime driven through a {@link RecordingConnection}: what a client sees on the wire for each
 * thing it sends.
 */
class HubConnectionHandlerTests {

	private static final String RS = "\u001e";

	private static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final Scheduler blocking = Schedulers.newBoundedElastic(4, 100, "hub-test-blocking");

	private final TestHub hub = new TestHub();

	private final DefaultHubLifetimeManager lifetime = new DefaultHubLifetimeManager();

	@AfterEach
	void disposeScheduler() {
		this.blocking.dispose();
	}

	private HubConnectionHandler handler(boolean detailedErrors) {
		return handler(detailedErrors, 1);
	}

	private HubConnectionHandler handler(boolean detailedErrors, int maximumParallelInvocations) {
		HubOptions options = new HubOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(15),
				32 * 1024, maximumParallelInvocations, detailedErrors, 10);
		UserIdProvider userIds = (connection) -> (connection.user() != null) ? connection.user().getName() : null;
		return new HubConnectionHandler("TestHub", this.hub, HubDescriptor.of(TestHub.class),
				List.of(new JsonHubProtocol(JsonMapper.builder().build())), options,
				this.lifetime, userIds, this.blocking);
	}

	private static Mono<Void> receive(HubConnectionHandler handler, RecordingConnection connection, String text) {
		return handler.onReceived(connection, text.getBytes(StandardCharsets.UTF_8));
	}

	private static void receiveNow(HubConnectionHandler handler, RecordingConnection connection, String text) {
		StepVerifier.create(receive(handler, connection, text)).expectComplete().verify(TIMEOUT);
	}

	/** Connects and completes the handshake; the handshake response is frame 0. */
	private static RecordingConnection connect(HubConnectionHandler handler, String id) {
		RecordingConnection connection = new RecordingConnection(id, "user-" + id);
		StepVerifier.create(handler.onConnected(connection)).expectComplete().verify(TIMEOUT);
		receiveNow(handler, connection, HANDSHAKE);
		assertThat(connection.awaitTexts(1, TIMEOUT)).containsExactly("{}" + RS);
		return connection;
	}

	private static String invocation(@Nullable String id, String target, String arguments) {
		String invocationId = (id != null) ? "\"invocationId\":\"" + id + "\"," : "";
		return "{\"type\":1," + invocationId + "\"target\":\"" + target + "\",\"arguments\":[" + arguments + "]}" + RS;
	}

	private static String error(String id, String error) {
		return "{\"type\":3,\"invocationId\":\"" + id + "\",\"error\":\"" + error + "\"}" + RS;
	}

	// handshake

	@Test
	void answersHandshakeWithEmptyObjectAsItsOwnFrame() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		receiveNow(handler, connection, HANDSHAKE + invocation("1", "Add", "1,2"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":3,\"invocationId\":\"1\",\"result\":3}" + RS);
	}

	@Test
	void completesHandshakeSplitAcrossChunks() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		receiveNow(handler, connection, "{\"protocol\":\"js");
		assertThat(connection.sentTexts()).isEmpty();
		receiveNow(handler, connection, "on\",\"version\":1}" + RS);

		assertThat(connection.sentTexts()).containsExactly("{}" + RS);
		assertThat(connection.isClosed()).isFalse();
	}

	@Test
	void rejectsUnsupportedProtocolAndCloses() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		receiveNow(handler, connection, "{\"protocol\":\"x\",\"version\":1}" + RS);

		assertThat(connection.sentTexts()).containsExactly("{\"error\":\"The protocol 'x' is not supported.\"}" + RS);
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void rejectsMalformedHandshakeAndCloses() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		receiveNow(handler, connection, "{\"version\":1}" + RS);

		assertThat(connection.sentTexts()).containsExactly(
				"{\"error\":\"An unexpected error occurred during connection handshake. InvalidDataException: "
						+ "Missing required property 'protocol'. Message content: {\\\"version\\\":1}\"}" + RS);
		assertThat(connection.isClosed()).isTrue();
	}

	// invocations

	@Test
	void completesInvocationWithResult() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("42", "Add", "40,2"));

		assertThat(connection.awaitTexts(2, TIMEOUT))
			.endsWith("{\"type\":3,\"invocationId\":\"42\",\"result\":42}" + RS);
	}

	@Test
	void matchesMethodNameIgnoringCase() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "ECHO", "\"hi\""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":\"hi\"}" + RS);
	}

	@Test
	void completesVoidMethodWithNullResult() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Record", "\"x\""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":null}" + RS);
	}

	@Test
	void completesAsyncMethodWithItsValue() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Hold", "\"a\""));
		this.hub.gate("a").tryEmitValue("done");

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":\"done\"}" + RS);
	}

	@Test
	void sendsNoCompletionForInvocationWithoutId() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation(null, "Record", "\"non-blocking\""));
		receiveNow(handler, connection, invocation(null, "Fail", "\"boom\""));
		receiveNow(handler, connection, invocation(null, "Missing", ""));
		receiveNow(handler, connection, invocation("2", "Add", "1,1"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":3,\"invocationId\":\"2\",\"result\":2}" + RS);
		assertThat(this.hub.events).contains("record non-blocking");
	}

	@Test
	void suppliesFrameworkParametersWithoutCountingThem() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "WhoAmI", "\"!\""));

		assertThat(connection.awaitTexts(2, TIMEOUT))
			.endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":\"c1/user-c1/user-c1!\"}" + RS);
	}

	@Test
	void letsHubMethodSendToCaller() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "EchoToCaller", "\"hello\""));

		assertThat(connection.awaitTexts(3, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"hello\"]}" + RS,
				"{\"type\":3,\"invocationId\":\"1\",\"result\":null}" + RS);
	}

	// errors

	@ParameterizedTest(name = "detailed errors {0}")
	@ValueSource(booleans = { false, true })
	void reportsUnknownMethod(boolean detailedErrors) {
		HubConnectionHandler handler = handler(detailedErrors);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Missing", ""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(
				error("1", "Failed to invoke 'Missing' due to an error on the server. HubException: Method does not exist."));
		assertThat(connection.isClosed()).isFalse();
	}

	@Test
	void reportsWrongArgumentCountWithoutDetails() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Add", "1"));

		assertThat(connection.awaitTexts(2, TIMEOUT))
			.endsWith(error("1", "Failed to invoke 'Add' due to an error on the server."));
	}

	@Test
	void reportsWrongArgumentCountWithDetails() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Add", "1,2,3"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"Failed to invoke 'Add' due to an error on the server. InvalidDataException: "
						+ "Invocation provides 3 argument(s) but target expects 2."));
	}

	@Test
	void reportsArgumentThatDoesNotBindWithoutDetails() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Add", "\"one\",2"));

		assertThat(connection.awaitTexts(2, TIMEOUT))
			.endsWith(error("1", "Failed to invoke 'Add' due to an error on the server."));
	}

	@Test
	void reportsArgumentThatDoesNotBindWithDetails() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Add", "null,2"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"Failed to invoke 'Add' due to an error on the server. InvalidDataException: Error binding arguments. "
						+ "Make sure that the types of the provided values match the types of the hub method being invoked."));
	}

	@Test
	void reportsExceptionWithoutDetails() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Fail", "\"secret\""));

		assertThat(connection.awaitTexts(2, TIMEOUT))
			.endsWith(error("1", "An unexpected error occurred invoking 'Fail' on the server."));
		assertThat(connection.sentTexts().get(1)).doesNotContain("secret");
	}

	@Test
	void reportsExceptionWithDetails() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Fail", "\"secret\""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"An unexpected error occurred invoking 'Fail' on the server. IllegalStateException: secret"));
	}

	@ParameterizedTest(name = "detailed errors {0}")
	@ValueSource(booleans = { false, true })
	void alwaysReportsHubExceptionMessage(boolean detailedErrors) {
		HubConnectionHandler handler = handler(detailedErrors);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Reject", "\"Not allowed\""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"An unexpected error occurred invoking 'Reject' on the server. HubException: Not allowed"));
	}

	@Test
	void reportsFailedMonoLikeAThrownException() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Hold", "\"a\""));
		this.hub.gate("a").tryEmitError(new IllegalArgumentException("later"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"An unexpected error occurred invoking 'Hold' on the server. IllegalArgumentException: later"));
	}

	@Test
	void keepsServingAfterAnInvocationFails() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Fail", "\"x\""));
		receiveNow(handler, connection, invocation("2", "Add", "2,2"));

		assertThat(connection.awaitTexts(3, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"2\",\"result\":4}" + RS);
	}

	// concurrency

	@Test
	void runsSecondInvocationOnlyAfterFirstCompletesWhenOneIsAllowed() {
		HubConnectionHandler handler = handler(false, 1);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Hold", "\"first\""));
		AtomicBoolean secondRead = new AtomicBoolean();
		receive(handler, connection, invocation("2", "Hold", "\"second\"")).doOnTerminate(() -> secondRead.set(true))
			.subscribe();

		assertThat(this.hub.events).containsExactly("connected c1", "hold first");
		assertThat(secondRead).isFalse();

		this.hub.gate("first").tryEmitValue("1");

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":\"1\"}" + RS);
		this.hub.awaitGate("second");
		assertThat(this.hub.events).containsExactly("connected c1", "hold first", "hold second");
		this.hub.gate("second").tryEmitValue("2");
		assertThat(connection.awaitTexts(3, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"2\",\"result\":\"2\"}" + RS);
		assertThat(secondRead).isTrue();
	}

	@Test
	void overlapsInvocationsWhenTwoAreAllowed() {
		HubConnectionHandler handler = handler(false, 2);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Hold", "\"first\""));
		receiveNow(handler, connection, invocation("2", "Hold", "\"second\""));

		assertThat(this.hub.events).containsExactly("connected c1", "hold first", "hold second");
		this.hub.gate("second").tryEmitValue("2");
		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"2\",\"result\":\"2\"}" + RS);
		this.hub.gate("first").tryEmitValue("1");
		assertThat(connection.awaitTexts(3, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":\"1\"}" + RS);
	}

	@Test
	void runsBlockingMethodsOffTheCallingThread() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "ThreadName", ""));

		assertThat(connection.awaitTexts(2, TIMEOUT)).hasSize(2);
		Thread thread = this.hub.blockingThread.get();
		assertThat(thread).isNotNull().isNotSameAs(Thread.currentThread());
		assertThat(thread.getName()).startsWith("hub-test-blocking");
	}

	@Test
	void runsBlockingMethodsOffANonBlockingThread() {
		HubConnectionHandler handler = handler(false);
		Scheduler eventLoop = Schedulers.newParallel("test-event-loop", 1);
		try {
			RecordingConnection connection = new RecordingConnection("c1");
			Mono.defer(() -> handler.onConnected(connection))
				.then(Mono.defer(() -> receive(handler, connection, HANDSHAKE + invocation("1", "ThreadName", ""))))
				.subscribeOn(eventLoop)
				.block(TIMEOUT);

			assertThat(connection.awaitTexts(2, TIMEOUT)).hasSize(2);
			assertThat(this.hub.blockingThread.get().getName()).startsWith("hub-test-blocking")
				.doesNotStartWith("test-event-loop");
		}
		finally {
			eventLoop.dispose();
		}
	}

	// connection callbacks

	@Test
	void runsOnConnectedBeforeTheFirstInvocation() {
		HubConnectionHandler handler = handler(false);
		Sinks.Empty<Void> connected = Sinks.empty();
		this.hub.onConnectedGate = connected;
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		AtomicBoolean read = new AtomicBoolean();
		receive(handler, connection, HANDSHAKE + invocation("1", "Record", "\"first\""))
			.doOnTerminate(() -> read.set(true))
			.subscribe();

		assertThat(this.hub.events).containsExactly("connected c1");
		assertThat(read).isFalse();
		connected.tryEmitEmpty();

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":null}" + RS);
		assertThat(this.hub.events).containsExactly("connected c1", "record first");
	}

	@Test
	void givesOnDisconnectedTheTransportError() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");
		IOException failure = new IOException("connection reset");

		StepVerifier.create(handler.onDisconnected(connection, failure)).expectComplete().verify(TIMEOUT);

		assertThat(this.hub.disconnectCause.get()).isSameAs(failure);
		assertThat(this.hub.events).endsWith("disconnected c1");
	}

	@Test
	void givesOnDisconnectedNullForNormalClose() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		StepVerifier.create(handler.onDisconnected(connection, null)).expectComplete().verify(TIMEOUT);

		assertThat(this.hub.events).endsWith("disconnected c1");
		assertThat(this.hub.disconnectCause.get()).isNull();
	}

	@Test
	void givesOnDisconnectedTheErrorOfTheClientsClose() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":7,\"error\":\"client gave up\"}" + RS);
		StepVerifier.create(handler.onDisconnected(connection, null)).expectComplete().verify(TIMEOUT);

		assertThat(this.hub.disconnectCause.get()).isInstanceOf(HubException.class).hasMessage("client gave up");
	}

	@Test
	void doesNotRunOnDisconnectedWhenHandshakeNeverCompleted() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(TIMEOUT);

		StepVerifier.create(handler.onDisconnected(connection, null)).expectComplete().verify(TIMEOUT);

		assertThat(this.hub.events).isEmpty();
	}

	@Test
	void removesDisconnectedConnectionFromLifetimeManager() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");
		assertThat(this.lifetime.connection("c1")).isNotNull();

		handler.onDisconnected(connection, null).block(TIMEOUT);

		assertThat(this.lifetime.connection("c1")).isNull();
	}

	// close and protocol errors

	@Test
	void answersClientCloseWithCloseAndCloses() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":7}" + RS);

		assertThat(connection.sentTexts()).containsExactly("{}" + RS, "{\"type\":7}" + RS);
		// the server leaves the client a grace period to close its transport first
		connection.awaitClosed(Duration.ofSeconds(10));
	}

	@Test
	void ignoresMessagesAfterClose() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":7}" + RS + invocation("1", "Record", "\"late\""));

		assertThat(this.hub.events).doesNotContain("record late");
		assertThat(connection.sentTexts()).containsExactly("{}" + RS, "{\"type\":7}" + RS);
	}

	@Test
	void closesWithReconnectableErrorOnMalformedMessage() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":1,\"target\":" + RS);

		assertThat(connection.sentTexts()).containsExactly("{}" + RS,
				"{\"type\":7,\"error\":\"Connection closed with an error.\",\"allowReconnect\":true}" + RS);
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void closesWithDetailedErrorOnMalformedMessage() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":1,\"arguments\":[]}" + RS);

		assertThat(connection.sentTexts()).endsWith("{\"type\":7,\"error\":\"Connection closed with an error. "
				+ "InvalidDataException: Missing required property 'target'.\",\"allowReconnect\":true}" + RS);
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void closesWhenMessageExceedsMaximumSize() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Echo", "\"" + "x".repeat(40 * 1024) + "\""));

		assertThat(connection.sentTexts()).containsExactly("{}" + RS,
				"{\"type\":7,\"error\":\"Connection closed with an error. InvalidDataException: The maximum message size "
						+ "of 32768B was exceeded. The message size can be configured with signalr.hub.maximum-receive-message-size.\",\"allowReconnect\":true}"
						+ RS);
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void handlesMessagesBeforeTheMalformedOneInTheSameChunk() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Sum", "1,2") + "not json" + RS);

		assertThat(connection.awaitTexts(3, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":3,\"invocationId\":\"1\",\"result\":3}" + RS,
				"{\"type\":7,\"error\":\"Connection closed with an error.\",\"allowReconnect\":true}" + RS);
	}

	@Test
	void readsMessageSplitAcrossChunks() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");
		String message = invocation("1", "Add", "20,22");

		receiveNow(handler, connection, message.substring(0, 17));
		receiveNow(handler, connection, message.substring(17));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":42}" + RS);
	}

	// streaming

	@Test
	void streamsItemsThenCompletion() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Counter\",\"arguments\":[3]}" + RS);

		assertThat(connection.awaitTexts(5, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":2,\"invocationId\":\"s1\",\"item\":0}" + RS, "{\"type\":2,\"invocationId\":\"s1\",\"item\":1}" + RS,
				"{\"type\":2,\"invocationId\":\"s1\",\"item\":2}" + RS, "{\"type\":3,\"invocationId\":\"s1\"}" + RS);
	}

	@Test
	void endsStreamWithErrorCompletion() {
		HubConnectionHandler handler = handler(true);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Broken\",\"arguments\":[]}" + RS);

		assertThat(connection.awaitTexts(3, TIMEOUT)).containsExactly("{}" + RS,
				"{\"type\":2,\"invocationId\":\"s1\",\"item\":1}" + RS, error("s1",
						"An error occurred on the server while streaming results. IllegalStateException: Ran out of data!"));
	}

	@Test
	void disposesStreamOnCancelInvocation() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Endless\",\"arguments\":[]}" + RS);
		this.hub.endless.tryEmitNext(1);
		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith("{\"type\":2,\"invocationId\":\"s1\",\"item\":1}" + RS);

		receiveNow(handler, connection, "{\"type\":5,\"invocationId\":\"s1\"}" + RS);

		assertThat(this.hub.endlessCancelled).isTrue();
		assertThat(this.hub.endless.currentSubscriberCount()).isZero();
		assertThat(connection.awaitTexts(3, TIMEOUT)).endsWith("{\"type\":3,\"invocationId\":\"s1\"}" + RS);
	}

	@Test
	void disposesStreamsWhenConnectionEnds() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Endless\",\"arguments\":[]}" + RS);
		handler.onDisconnected(connection, null).block(TIMEOUT);

		assertThat(this.hub.endlessCancelled).isTrue();
	}

	@Test
	void rejectsStreamInvocationOfNonStreamingMethod() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Add\",\"arguments\":[1,2]}" + RS);

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("s1",
				"The client attempted to invoke the non-streaming 'Add' method with a streaming invocation."));
	}

	@Test
	void rejectsInvocationOfStreamingMethod() {
		HubConnectionHandler handler = handler(false);
		RecordingConnection connection = connect(handler, "c1");

		receiveNow(handler, connection, invocation("1", "Counter", "3"));

		assertThat(connection.awaitTexts(2, TIMEOUT)).endsWith(error("1",
				"The client attempted to invoke the streaming 'Counter' method with a non-streaming invocation."));
	}

	/** A hub whose methods record what happened and can be completed by the test. */
	public static class TestHub {

		final List<String> events = new CopyOnWriteArrayList<>();

		final Map<String, Sinks.One<String>> gates = new ConcurrentHashMap<>();

		final AtomicReference<@Nullable Thread> blockingThread = new AtomicReference<>();

		final AtomicReference<@Nullable Throwable> disconnectCause = new AtomicReference<>();

		final Sinks.Many<Integer> endless = Sinks.many().unicast().onBackpressureBuffer();

		volatile boolean endlessCancelled;

		volatile Sinks.@Nullable Empty<Void> onConnectedGate;

		public int add(int x, int y) {
			return x + y;
		}

		public String echo(String text) {
			return text;
		}

		public void record(String text) {
			this.events.add("record " + text);
		}

		public Mono<String> hold(String name) {
			Sinks.One<String> gate = gate(name);
			this.events.add("hold " + name);
			return gate.asMono();
		}

		public Mono<Integer> sum(int x, int y) {
			return Mono.just(x + y);
		}

		public void fail(String message) {
			throw new IllegalStateException(message);
		}

		public void reject(String message) {
			throw new HubException(message);
		}

		public String threadName() {
			Thread thread = Thread.currentThread();
			this.blockingThread.set(thread);
			return thread.getName();
		}

		public String whoAmI(HubCallerContext context, String suffix, Principal principal) {
			return context.connectionId() + "/" + context.userIdentifier() + "/" + principal.getName() + suffix;
		}

		public void echoToCaller(HubCallerClients clients, String text) {
			clients.caller().send("Echo", text);
		}

		public Flux<Integer> counter(int count) {
			return Flux.range(0, count);
		}

		public Flux<Integer> broken() {
			return Flux.concat(Flux.just(1), Flux.error(new IllegalStateException("Ran out of data!")));
		}

		public Flux<Integer> endless() {
			return this.endless.asFlux().doOnCancel(() -> this.endlessCancelled = true);
		}

		@OnConnected
		public Mono<Void> connected(HubCallerContext context) {
			this.events.add("connected " + context.connectionId());
			Sinks.Empty<Void> gate = this.onConnectedGate;
			return (gate != null) ? gate.asMono() : Mono.empty();
		}

		@OnDisconnected
		public void disconnected(HubCallerContext context, @Nullable Throwable cause) {
			this.disconnectCause.set(cause);
			this.events.add("disconnected " + context.connectionId());
		}

		Sinks.One<String> gate(String name) {
			return this.gates.computeIfAbsent(name, (key) -> Sinks.one());
		}

		void awaitGate(String name) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!this.events.contains("hold " + name)) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("Method hold(" + name + ") was not called within " + TIMEOUT);
				}
				Thread.onSpinWait();
			}
		}

	}

}
