package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.HttpConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client data over long polling and SSE against a real server whose hub method blocks: what the server
 * queues for the hub stays within one POST body's limit ({@code signalr.websocket.max-frame-size}), POSTs
 * past it are not answered until the hub has taken what is queued, as the reference's pipe holds them,
 * every message is then processed, in order, and a connection that ends while POSTs wait answers them
 * 404 without a deadlock.
 */
class PostBackpressureIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** How long no POST must be answered for the rest to count as held. */
	private static final Duration HELD = Duration.ofMillis(800);

	private static final String RS = "\u001e";

	private static final int LIMIT = 64 * 1024;

	private static final int MESSAGE_BYTES = 8 * 1024;

	private static final int MESSAGES = 40;

	/** The messages the bound lets in while the hub holds the first: it is handled, the rest queued. */
	private static final int ADMITTED = 1 + LIMIT / MESSAGE_BYTES;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private static ConfigurableApplicationContext server;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(GatedApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hub.keep-alive-interval=1h",
					"signalr.websocket.max-frame-size=" + LIMIT + "B")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void closeGate() {
		GatedHub.gate = new CountDownLatch(1);
	}

	@AfterEach
	void openGate() {
		GatedHub.gate.countDown();
	}

	private static String message(int index) {
		return "{\"type\":1,\"target\":\"Hold\",\"arguments\":[" + index + ",\"" + "x".repeat(MESSAGE_BYTES - 64)
				+ "\"]}" + RS;
	}

	private static List<Integer> inOrder(int count) {
		return IntStream.range(0, count).boxed().toList();
	}

	@Test
	void sequentialPostsOverLongPollingAreHeldPastTheBoundUntilTheHubTakesTheirData() throws Exception {
		Negotiated negotiated = longPolling();
		String connection = negotiated.path();
		AtomicInteger answered = new AtomicInteger();
		CompletableFuture<List<Integer>> statuses = CompletableFuture.supplyAsync(() -> {
			List<Integer> codes = new ArrayList<>();
			for (int i = 0; i < MESSAGES; i++) {
				codes.add(post(connection, message(i)).join().statusCode());
				answered.incrementAndGet();
			}
			return codes;
		});

		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == 1);
		assertHeldAt(negotiated, answered, ADMITTED);

		GatedHub.gate.countDown();
		assertThat(statuses.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).containsOnly(200);
		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == MESSAGES);
		assertThat(negotiated.received()).containsExactlyElementsOf(inOrder(MESSAGES));
	}

	@Test
	void concurrentPostsOverServerSentEventsWaitTheirTurnAndAreAllProcessed() throws Exception {
		Negotiated negotiated = negotiate();
		InputStream stream = eventStream(negotiated);
		String connection = negotiated.path();
		assertThat(post(connection, message(0)).join().statusCode()).isEqualTo(200);
		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == 1);

		AtomicInteger answered = new AtomicInteger();
		List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
		for (int i = 1; i < MESSAGES; i++) {
			posts.add(post(connection, message(i)).whenComplete((response, error) -> answered.incrementAndGet()));
		}
		assertHeldAt(negotiated, answered, ADMITTED - 1);

		GatedHub.gate.countDown();
		for (CompletableFuture<HttpResponse<String>> post : posts) {
			assertThat(post.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == MESSAGES);
		assertThat(negotiated.received()).containsExactlyInAnyOrderElementsOf(inOrder(MESSAGES));
		stream.close();
	}

	@Test
	void closingTheEventStreamWhilePostsWaitEndsThemWithNoConnection() throws Exception {
		Negotiated negotiated = negotiate();
		InputStream stream = eventStream(negotiated);
		String connection = negotiated.path();
		assertThat(post(connection, message(0)).join().statusCode()).isEqualTo(200);
		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == 1);
		AtomicInteger answered = new AtomicInteger();
		List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
		for (int i = 1; i < MESSAGES; i++) {
			posts.add(post(connection, message(i)).whenComplete((response, error) -> answered.incrementAndGet()));
		}
		assertHeldAt(negotiated, answered, ADMITTED - 1);

		stream.close();

		assertEndedWithNoConnection(posts);
	}

	/** An SSE connection past its handshake: its event stream, open and unread. */
	private static InputStream eventStream(Negotiated negotiated) throws Exception {
		HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri(negotiated.path()))
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT.multipliedBy(3))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(events.statusCode()).isEqualTo(200);
		assertThat(post(negotiated.path(), handshake()).join().statusCode()).isEqualTo(200);
		return events.body();
	}

	/** The POSTs let in before the connection ended were answered 200, those that waited 404. */
	private static void assertEndedWithNoConnection(List<CompletableFuture<HttpResponse<String>>> posts)
			throws Exception {
		List<HttpResponse<String>> waited = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> post : posts) {
			waited.add(post.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		assertThat(waited).filteredOn((response) -> response.statusCode() == 200).hasSizeLessThan(ADMITTED);
		assertThat(waited).filteredOn((response) -> response.statusCode() != 200)
			.isNotEmpty()
			.allSatisfy((response) -> {
				assertThat(response.statusCode()).isEqualTo(404);
				assertThat(response.body()).isEqualTo("No Connection with that ID");
			});
	}

	@Test
	void deleteWhilePostsWaitEndsThemWithNoConnection() throws Exception {
		Negotiated negotiated = longPolling();
		String connection = negotiated.path();
		assertThat(post(connection, message(0)).join().statusCode()).isEqualTo(200);
		Awaitility.await().atMost(TIMEOUT).until(() -> negotiated.received().size() == 1);
		AtomicInteger answered = new AtomicInteger();
		List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
		for (int i = 1; i < MESSAGES; i++) {
			posts.add(post(connection, message(i)).whenComplete((response, error) -> answered.incrementAndGet()));
		}
		assertHeldAt(negotiated, answered, ADMITTED - 1);

		HttpResponse<String> delete = HTTP.send(
				HttpRequest.newBuilder(uri(connection)).DELETE().timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(delete.statusCode()).isEqualTo(202);

		assertEndedWithNoConnection(posts);
	}

	/**
	 * Some POSTs were answered, then none for a while: the rest are held, and what the server holds for the
	 * hub is within the bound, and close to it (the next POST would go past it).
	 */
	private static void assertHeldAt(Negotiated negotiated, AtomicInteger answered, int admitted) {
		AtomicInteger last = new AtomicInteger(-1);
		Awaitility.await()
			.atMost(TIMEOUT)
			.pollInterval(HELD)
			.until(() -> answered.get() > 0 && answered.get() == last.getAndSet(answered.get()));
		assertThat(answered.get()).as("POSTs answered while the hub is held").isLessThanOrEqualTo(admitted);
		assertThat(negotiated.queuedOnServer()).as("bytes queued for the hub")
			.isGreaterThan(LIMIT - MESSAGE_BYTES)
			.isLessThanOrEqualTo(LIMIT);
	}

	private static URI uri(String pathAndQuery) {
		return URI.create("http://localhost:" + port + pathAndQuery);
	}

	private static String handshake() {
		return "{\"protocol\":\"json\",\"version\":1}" + RS;
	}

	/** A negotiated connection: its path and query for transport requests, and its id. */
	private record Negotiated(String path, String token, String id) {

		Queue<Integer> received() {
			return GatedHub.received(this.id);
		}

		/** What the server holds of the connection's data, not yet handled by the hub. */
		long queuedOnServer() {
			HttpConnection connection = server.getBean(ConnectionManager.class).get(this.token);
			return (connection != null) ? connection.inboundBytes() : 0;
		}
	}

	private static Negotiated negotiate() throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/gated/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode negotiated = MAPPER.readTree(response.body());
		String token = negotiated.get("connectionToken").asString();
		return new Negotiated("/gated?id=" + token, token, negotiated.get("connectionId").asString());
	}

	/** A long-polling connection past its handshake, as the path and query of its requests. */
	private static Negotiated longPolling() throws Exception {
		Negotiated negotiated = negotiate();
		String connection = negotiated.path();
		assertThat(poll(connection).statusCode()).isEqualTo(200);
		assertThat(post(connection, handshake()).join().statusCode()).isEqualTo(200);
		assertThat(poll(connection).body()).isEqualTo("{}" + RS);
		return negotiated;
	}

	private static HttpResponse<String> poll(String connection) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(connection)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static CompletableFuture<HttpResponse<String>> post(String connection, String body) {
		return HTTP.sendAsync(HttpRequest.newBuilder(uri(connection))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.timeout(TIMEOUT.multipliedBy(2))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Records each message's index, then holds until the test opens the gate. */
	@Hub("/gated")
	static class GatedHub {

		static volatile CountDownLatch gate = new CountDownLatch(0);

		/** What each connection received, by connection id. */
		static final Map<String, Queue<Integer>> received = new ConcurrentHashMap<>();

		static Queue<Integer> received(String connectionId) {
			return received.computeIfAbsent(connectionId, (id) -> new ConcurrentLinkedQueue<>());
		}

		public void hold(HubCallerContext context, int index, String padding) throws InterruptedException {
			received(context.connectionId()).add(index);
			gate.await(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(GatedHub.class)
	static class GatedApplication {

	}
}
