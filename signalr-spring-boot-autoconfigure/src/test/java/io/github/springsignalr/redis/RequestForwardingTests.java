package io.github.springsignalr.redis;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.TransportEnum;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.reactivex.rxjava3.core.Completable;
import okhttp3.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.HubContext;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.connection.ConnectionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Spring Boot servers sharing a real Redis behind a round-robin proxy without affinity: official
 * Java clients that open a new TCP connection for every request (so negotiate and transport requests
 * land on different nodes) work over WebSockets and long polling, and plain HTTP requests carrying the
 * token of a connection of the other node are answered by that node.
 */
class RequestForwardingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final char RS = '\u001e';

	/** Short, so that a test can run past several registration lifetimes. */
	private static final Duration REGISTRATION_TTL = Duration.ofSeconds(2);

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private static RoundRobinProxy proxy;

	private static long startedMillis;

	private final List<HubConnection> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@BeforeAll
	static void startServers() {
		redis = RedisServer.start();
		first = start();
		second = start();
		proxy = RoundRobinProxy.start(List.of(port(first), port(second)));
		startedMillis = System.currentTimeMillis();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(RedisBackplaneIntegrationTests.ChatApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.redis.enabled=true",
					"signalr.redis.url=" + redis.url(),
					"signalr.redis.node-registration-ttl=" + REGISTRATION_TTL.toMillis() + "ms")
			.run();
	}

	private static int port(ConfigurableApplicationContext server) {
		return ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stopServers() {
		if (proxy != null) {
			proxy.close();
		}
		if (first != null) {
			first.close();
		}
		if (second != null) {
			second.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void stopClients() {
		for (HubConnection client : this.clients) {
			if (client.getConnectionState() != HubConnectionState.DISCONNECTED) {
				client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
	}

	/** A client through the proxy, on a new TCP connection for each request. */
	private HubConnection connectThroughProxy(TransportEnum transport, BlockingQueue<String> received) {
		HubConnection client = HubConnectionBuilder.create("http://127.0.0.1:" + proxy.port() + "/chat")
			.withTransport(transport)
			.setHttpClientBuilderCallback((builder) -> builder.connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS)))
			.build();
		client.on("Receive", received::add, String.class);
		this.clients.add(client);
		await(client.start());
		return client;
	}

	private static void await(Completable completable) {
		assertThat(completable.blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
			.as("completed within %s", TIMEOUT)
			.isTrue();
	}

	private static String take(BlockingQueue<String> queue) throws InterruptedException {
		String message = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(message).as("message within %s", TIMEOUT).isNotNull();
		return message;
	}

	private static long forwarded() {
		return first.getBean(RequestForwardingWebFilter.class).forwardedCount()
				+ second.getBean(RequestForwardingWebFilter.class).forwardedCount();
	}

	@SuppressWarnings("unchecked")
	private static HubContext<RedisBackplaneIntegrationTests.ChatHub> hubContext(ConfigurableApplicationContext server) {
		return server.getBean(HubContext.class);
	}

	private static int connections() {
		return first.getBean(ConnectionManager.class).count() + second.getBean(ConnectionManager.class).count();
	}

	private static void awaitNoConnections() throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (connections() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(connections()).as("connections left on the nodes").isZero();
	}

	@Test
	void webSocketClientWorksWhenNegotiateAndTransportLandOnDifferentNodes() throws InterruptedException {
		long before = forwarded();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		HubConnection client = connectThroughProxy(TransportEnum.WEBSOCKETS, received);

		await(client.invoke("Broadcast", "from the client"));
		assertThat(take(received)).isEqualTo("from the client");
		hubContext(first).clients().all().send("Receive", "from the first node").block(TIMEOUT);
		assertThat(take(received)).isEqualTo("from the first node");
		hubContext(second).clients().all().send("Receive", "from the second node").block(TIMEOUT);
		assertThat(take(received)).isEqualTo("from the second node");
		assertThat(forwarded() - before).as("requests forwarded").isPositive();

		await(client.stop());
		awaitNoConnections();
	}

	@Test
	void longPollingClientWorksWhenItsRequestsLandOnBothNodes() throws InterruptedException {
		long before = forwarded();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		HubConnection client = connectThroughProxy(TransportEnum.LONG_POLLING, received);

		for (int i = 0; i < 3; i++) {
			await(client.invoke("Broadcast", "message " + i));
			assertThat(take(received)).isEqualTo("message " + i);
		}
		hubContext(first).clients().all().send("Receive", "from the first node").block(TIMEOUT);
		assertThat(take(received)).isEqualTo("from the first node");
		hubContext(second).clients().all().send("Receive", "from the second node").block(TIMEOUT);
		assertThat(take(received)).isEqualTo("from the second node");
		assertThat(forwarded() - before).as("requests forwarded").isPositive();

		await(client.stop());
		assertThat(client.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);
		awaitNoConnections();
	}

	@Test
	void longPollingRequestsWithATokenOfTheOtherNodeAreAnsweredByIt() throws Exception {
		String token = negotiate(port(first));
		URI onSecond = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + token);

		HttpResponse<String> connect = send(HttpRequest.newBuilder(onSecond).GET());
		assertThat(connect.statusCode()).isEqualTo(200);
		HttpResponse<String> handshake = send(HttpRequest.newBuilder(onSecond)
			.POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"json\",\"version\":1}" + RS)));
		assertThat(handshake.statusCode()).isEqualTo(200);
		HttpResponse<String> poll = send(HttpRequest.newBuilder(onSecond).GET());
		assertThat(poll.statusCode()).isEqualTo(200);
		assertThat(poll.body()).isEqualTo("{}" + RS);
		assertThat(first.getBean(ConnectionManager.class).get(token)).as("the connection on its owner").isNotNull();
		assertThat(second.getBean(ConnectionManager.class).get(token)).isNull();

		HttpResponse<String> delete = send(HttpRequest.newBuilder(onSecond).DELETE());
		assertThat(delete.statusCode()).isEqualTo(202);
		awaitNoConnections();
	}

	@Test
	void serverSentEventsStreamFromTheOwnerThroughTheOtherNode() throws Exception {
		String token = negotiate(port(second));
		URI onFirst = URI.create("http://127.0.0.1:" + port(first) + "/chat?id=" + token);
		HttpResponse<InputStream> stream = this.http.send(HttpRequest.newBuilder(onFirst)
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			HttpResponse<String> handshake = send(HttpRequest.newBuilder(onFirst)
				.POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"json\",\"version\":1}" + RS)));
			assertThat(handshake.statusCode()).isEqualTo(200);
			CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
				try {
					String line;
					while ((line = events.readLine()) != null) {
						if (line.startsWith("data: ")) {
							return line;
						}
					}
					return "end of stream";
				}
				catch (java.io.IOException ex) {
					return ex.toString();
				}
			});
			assertThat(data.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("data: {}" + RS);
		}
	}

	@Test
	void requestsAreStillForwardedAfterSeveralRegistrationLifetimes() throws Exception {
		// four lifetimes of the nodes' registrations, and past the cache of node lookups (5 s)
		Thread.sleep(REGISTRATION_TTL.multipliedBy(4).toMillis());
		String token = negotiate(port(first));
		URI onSecond = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + token);

		HttpResponse<String> connect = send(HttpRequest.newBuilder(onSecond).GET());
		assertThat(connect.statusCode()).isEqualTo(200);
		HttpResponse<String> handshake = send(HttpRequest.newBuilder(onSecond)
			.POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"json\",\"version\":1}" + RS)));
		assertThat(handshake.statusCode()).isEqualTo(200);
		HttpResponse<String> poll = send(HttpRequest.newBuilder(onSecond).GET());
		assertThat(poll.body()).isEqualTo("{}" + RS);
		try (RedisClient client = RedisClient.create(redis.url());
				StatefulRedisConnection<String, String> connection = client.connect()) {
			for (ConfigurableApplicationContext node : List.of(first, second)) {
				String key = "internal:node:" + node.getBean(RedisNodeDirectory.class).localNodeId();
				assertThat(connection.sync().pttl(key)).as("time to live of %s in ms", key)
					.isBetween(1L, REGISTRATION_TTL.toMillis());
			}
		}
		finally {
			send(HttpRequest.newBuilder(onSecond).DELETE());
		}
		awaitNoConnections();
	}

	@Test
	void requestWithATokenOfAnUnknownNodeGets404() throws Exception {
		// within a registration's lifetime of connecting, an unknown node may be a live one not registered yet
		Thread.sleep(Math.max(0, REGISTRATION_TTL.toMillis() - (System.currentTimeMillis() - startedMillis)));
		URI unknown = URI.create("http://127.0.0.1:" + port(first) + "/chat?id=unknownNode1.abcdef");

		HttpResponse<String> post = send(HttpRequest.newBuilder(unknown).POST(HttpRequest.BodyPublishers.ofString("x")));
		HttpResponse<String> poll = send(HttpRequest.newBuilder(unknown).GET());

		assertThat(post.statusCode()).isEqualTo(404);
		assertThat(post.body()).isEqualTo("No Connection with that ID");
		assertThat(poll.statusCode()).isEqualTo(404);
		assertThat(poll.body()).isEqualTo("No Connection with that ID");
	}

	@Test
	void negotiatedTokensNameTheNodeThatServedTheNegotiate() throws Exception {
		String token = negotiate(port(first));

		assertThat(token).startsWith(first.getBean(RedisNodeDirectory.class).localNodeId() + ".");
		assertThat(first.getBean(RedisNodeDirectory.class).localNodeId())
			.isNotEqualTo(second.getBean(RedisNodeDirectory.class).localNodeId());
	}

	private String negotiate(int port) throws Exception {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
		Matcher token = Pattern.compile("\"connectionToken\":\"([^\"]+)\"").matcher(response.body());
		assertThat(token.find()).as("token in %s", response.body()).isTrue();
		return token.group(1);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
