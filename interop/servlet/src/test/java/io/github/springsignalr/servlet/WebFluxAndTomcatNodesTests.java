package io.github.springsignalr.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.TransportEnum;
import io.reactivex.rxjava3.core.Completable;
import okhttp3.ConnectionPool;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;

import io.github.springsignalr.HubContext;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.javaclient.JavaHub;
import io.github.springsignalr.interop.javaclient.JavaUserIdConfiguration;
import io.github.springsignalr.redis.RedisNodeDirectory;
import io.github.springsignalr.redis.RedisServer;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.webmvc.RequestForwardingServletFilter;

/**
 * A WebFlux node (Reactor Netty) and a Spring MVC node (Tomcat) of the conformance server share one real
 * Redis, without sticky sessions: official Java clients whose negotiate goes to one node and whose every
 * other request goes to the other (so each transport request crosses stacks and is forwarded to its
 * owner) share groups, users and the {@link HubContext} of either node, over long polling and WebSockets
 * both ways; Server-Sent Events stream through either node; a token of an unknown node gets the
 * reference's 404 on Tomcat too.
 */
class WebFluxAndTomcatNodesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final char RS = '\u001e';

	/** Short, so that a node unknown past it since Redis connected is taken for gone (404), not for late (503). */
	private static final Duration REGISTRATION_TTL = Duration.ofSeconds(2);

	private static RedisServer redis;

	private static long startedMillis;

	private static ConfigurableApplicationContext webflux;

	private static ConfigurableApplicationContext tomcat;

	private final List<HubConnection> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		webflux = start(WebApplicationType.REACTIVE);
		tomcat = start(WebApplicationType.SERVLET);
		startedMillis = System.currentTimeMillis();
	}

	private static ConfigurableApplicationContext start(WebApplicationType type) {
		return new SpringApplicationBuilder(InteropApplication.class, JavaUserIdConfiguration.class).web(type)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.backplane=redis",
					"signalr.redis.url=" + redis.url(),
					"signalr.redis.node-registration-ttl=" + REGISTRATION_TTL.toMillis() + "ms",
					// Reactor Netty serves the WebFlux node, Tomcat (also on the class path) the servlet one
					"spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.reactive."
							+ "TomcatReactiveWebServerAutoConfiguration")
			.run();
	}

	@AfterAll
	static void stopNodes() {
		if (tomcat != null) {
			tomcat.close();
		}
		if (webflux != null) {
			webflux.close();
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

	/** Waits until the nodes hold no more connections than {@code before} (negotiated ones of other tests may expire). */
	private static void awaitConnectionsBackTo(int before) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (connections() > before && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(connections()).as("connections on the nodes").isLessThanOrEqualTo(before);
	}

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	private static int connections() {
		return webflux.getBean(ConnectionManager.class).count() + tomcat.getBean(ConnectionManager.class).count();
	}

	private static long forwardedByWebFlux() {
		return webflux.getBean(RequestForwardingWebFilter.class).forwardedCount();
	}

	private static long forwardedByTomcat() {
		return tomcat.getBean(RequestForwardingServletFilter.class).forwardedCount();
	}

	private static HubContext<JavaHub> hubContext(ConfigurableApplicationContext node) {
		ObjectProvider<HubContext<JavaHub>> context = node
			.getBeanProvider(ResolvableType.forClassWithGenerics(HubContext.class, JavaHub.class));
		return context.getObject();
	}

	/**
	 * A started client of {@code user}: its negotiate goes to {@code negotiateAt}, every other request
	 * (the transport's) to {@code transportAt}, each on a new TCP connection.
	 */
	private HubConnection connect(String user, TransportEnum transport, ConfigurableApplicationContext negotiateAt,
			ConfigurableApplicationContext transportAt, BlockingQueue<String> received) {
		int negotiatePort = port(negotiateAt);
		int transportPort = port(transportAt);
		HubConnection client = HubConnectionBuilder.create("http://127.0.0.1:" + negotiatePort + "/java-hub")
			.withTransport(transport)
			.withHeader(JavaUserIdConfiguration.USER_HEADER, user)
			.setHttpClientBuilderCallback((builder) -> builder
				.connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS))
				.addInterceptor((chain) -> {
					Request request = chain.request();
					int port = request.url().encodedPath().endsWith("/negotiate") ? negotiatePort : transportPort;
					return chain.proceed(request.newBuilder().url(request.url().newBuilder().port(port).build()).build());
				}))
			.build();
		client.on("Message", received::add, String.class);
		client.on("Welcome", (id) -> { }, String.class);
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

	@Test
	void longPollingClientsCrossingStacksShareGroupsUsersAndHubContexts() throws InterruptedException {
		crossingClientsShareGroupsUsersAndHubContexts(TransportEnum.LONG_POLLING);
	}

	@Test
	void webSocketClientsCrossingStacksShareGroupsUsersAndHubContexts() throws InterruptedException {
		crossingClientsShareGroupsUsersAndHubContexts(TransportEnum.WEBSOCKETS);
	}

	private void crossingClientsShareGroupsUsersAndHubContexts(TransportEnum transport) throws InterruptedException {
		int connectionsBefore = connections();
		long webfluxBefore = forwardedByWebFlux();
		long tomcatBefore = forwardedByTomcat();
		BlockingQueue<String> annGot = new LinkedBlockingQueue<>();
		BlockingQueue<String> bobGot = new LinkedBlockingQueue<>();
		// ann's connection lives on the WebFlux node and is reached through Tomcat, bob's the other way round
		HubConnection ann = connect("ann", transport, webflux, tomcat, annGot);
		HubConnection bob = connect("bob", transport, tomcat, webflux, bobGot);
		assertThat(ann.getConnectionId()).isNotEqualTo(bob.getConnectionId());

		await(ann.invoke("JoinGroup", "mixed"));
		await(bob.invoke("JoinGroup", "mixed"));
		await(ann.invoke("SendToGroup", "mixed", "to the group"));
		assertThat(take(annGot)).isEqualTo("to the group");
		assertThat(take(bobGot)).isEqualTo("to the group");

		await(bob.invoke("SendToUser", "ann", "to ann"));
		assertThat(take(annGot)).isEqualTo("to ann");
		await(ann.invoke("SendToUser", "bob", "to bob"));
		assertThat(take(bobGot)).isEqualTo("to bob");

		hubContext(webflux).clients().user("bob").send("Message", "from the WebFlux node").block(TIMEOUT);
		assertThat(take(bobGot)).isEqualTo("from the WebFlux node");
		hubContext(tomcat).clients().user("ann").send("Message", "from the Tomcat node").block(TIMEOUT);
		assertThat(take(annGot)).isEqualTo("from the Tomcat node");
		hubContext(tomcat).groups().removeFromGroup(ann.getConnectionId(), "mixed").block(TIMEOUT);
		hubContext(webflux).clients().group("mixed").send("Message", "to who is left").block(TIMEOUT);
		assertThat(take(bobGot)).isEqualTo("to who is left");
		assertThat(annGot.poll(300, TimeUnit.MILLISECONDS)).as("ann left the group").isNull();

		assertThat(forwardedByTomcat() - tomcatBefore).as("requests Tomcat forwarded to WebFlux").isPositive();
		assertThat(forwardedByWebFlux() - webfluxBefore).as("requests WebFlux forwarded to Tomcat").isPositive();
		await(ann.stop());
		await(bob.stop());
		// each stop reached the connection's owner, which ended it
		awaitConnectionsBackTo(connectionsBefore);
	}

	@Test
	void serverSentEventsStreamFromTheOwnerThroughTheNodeOfTheOtherStack() throws Exception {
		assertEventStreamThrough(webflux, tomcat);
		assertEventStreamThrough(tomcat, webflux);
	}

	private void assertEventStreamThrough(ConfigurableApplicationContext owner, ConfigurableApplicationContext other)
			throws Exception {
		int connectionsBefore = connections();
		String token = negotiate(port(owner));
		URI through = URI.create("http://127.0.0.1:" + port(other) + "/java-hub?id=" + token);
		HttpResponse<InputStream> stream = this.http.send(HttpRequest.newBuilder(through)
			.header("Accept", "text/event-stream")
			.timeout(TIMEOUT)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			HttpResponse<String> handshake = send(HttpRequest.newBuilder(through)
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
			assertThat(owner.getBean(ConnectionManager.class).get(token)).as("the connection on its owner").isNotNull();
			assertThat(other.getBean(ConnectionManager.class).get(token)).isNull();
			// the client closes its connection, which ends the stream
			HttpResponse<String> close = send(HttpRequest.newBuilder(through)
				.POST(HttpRequest.BodyPublishers.ofString("{\"type\":7}" + RS)));
			assertThat(close.statusCode()).isEqualTo(200);
		}
		awaitConnectionsBackTo(connectionsBefore);
	}

	@Test
	void authenticationRefreshReachesTheOwnerThroughTheNodeOfTheOtherStack() throws Exception {
		assertRefreshThrough(webflux, tomcat);
		assertRefreshThrough(tomcat, webflux);
	}

	/** Refreshes, through {@code other}, a long-polling connection of {@code owner} (whose key signs the tokens). */
	private void assertRefreshThrough(ConfigurableApplicationContext owner, ConfigurableApplicationContext other)
			throws Exception {
		String base = "http://127.0.0.1:" + port(owner);
		String alice = send(HttpRequest.newBuilder(URI.create(base + "/generateJwtToken?user=alice&lifetime=30")).GET())
			.body();
		HttpResponse<String> negotiated = send(HttpRequest
			.newBuilder(URI.create(base + "/authorizedhub/negotiate?negotiateVersion=1"))
			.header("Authorization", "Bearer " + alice)
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(negotiated.statusCode()).as(negotiated.body()).isEqualTo(200);
		Matcher matcher = Pattern.compile("\"connectionToken\":\"([^\"]+)\"").matcher(negotiated.body());
		assertThat(matcher.find()).isTrue();
		String token = matcher.group(1);
		URI connection = URI.create(base + "/authorizedhub?id=" + token);
		assertThat(send(HttpRequest.newBuilder(connection).header("Authorization", "Bearer " + alice).GET())
			.statusCode()).isEqualTo(200);
		long forwarded = forwardedByWebFlux() + forwardedByTomcat();
		URI refresh = URI.create("http://127.0.0.1:" + port(other) + "/authorizedhub/refresh");
		String longer = send(HttpRequest.newBuilder(URI.create(base + "/generateJwtToken?user=alice&lifetime=60")).GET())
			.body();

		HttpResponse<String> refreshed = send(HttpRequest.newBuilder(refresh)
			.header("Authorization", "Bearer " + longer)
			.header("X-SignalR-Connection-Token", token)
			.POST(HttpRequest.BodyPublishers.noBody()));
		String bob = send(HttpRequest.newBuilder(URI.create(base + "/generateJwtToken?user=bob&lifetime=60")).GET())
			.body();
		HttpResponse<String> otherUser = send(HttpRequest.newBuilder(refresh)
			.header("Authorization", "Bearer " + bob)
			.header("X-SignalR-Connection-Token", token)
			.POST(HttpRequest.BodyPublishers.noBody()));

		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		assertThat(refreshed.body()).containsPattern("\"tokenLifetimeSeconds\":(58|59|60)[,}]");
		assertThat(otherUser.statusCode()).as(otherUser.body()).isEqualTo(403);
		assertThat(otherUser.body()).contains("\"error\":\"user_changed\"");
		assertThat(forwardedByWebFlux() + forwardedByTomcat()).isEqualTo(forwarded + 2);
		assertThat(send(HttpRequest.newBuilder(connection).header("Authorization", "Bearer " + longer).DELETE())
			.statusCode()).isEqualTo(202);
	}

	@Test
	void webSocketUpgradeTheOwnerRefusesIsRefusedAlikeThroughTomcat() throws Exception {
		String base = "http://127.0.0.1:" + port(webflux);
		String alice = send(HttpRequest.newBuilder(URI.create(base + "/generateJwtToken?user=alice&lifetime=30")).GET())
			.body();
		HttpResponse<String> negotiated = send(HttpRequest
			.newBuilder(URI.create(base + "/authorizedhub/negotiate?negotiateVersion=1"))
			.header("Authorization", "Bearer " + alice)
			.POST(HttpRequest.BodyPublishers.noBody()));
		Matcher matcher = Pattern.compile("\"connectionToken\":\"([^\"]+)\"").matcher(negotiated.body());
		assertThat(matcher.find()).as(negotiated.body()).isTrue();
		String token = matcher.group(1);
		String throughTomcat = "ws://127.0.0.1:" + port(tomcat) + "/authorizedhub?id=";

		// no credentials: the owner's 401 and its challenge
		HttpResponse<?> anonymous = refusedUpgrade(URI.create(throughTomcat + token), null);
		// alice, with a token the owner does not know
		HttpResponse<?> unknown = refusedUpgrade(URI.create(throughTomcat + token.substring(0, token.indexOf('.') + 1)
				+ "unknown"), alice);

		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(unknown.statusCode()).isEqualTo(404);
	}

	private HttpResponse<?> refusedUpgrade(URI uri, @Nullable String bearer) throws Exception {
		WebSocket.Builder builder = this.http.newWebSocketBuilder();
		if (bearer != null) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		try {
			builder.buildAsync(uri, new WebSocket.Listener() {
			}).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).abort();
			throw new AssertionError("the upgrade to " + uri + " was accepted");
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(WebSocketHandshakeException.class);
			return ((WebSocketHandshakeException) ex.getCause()).getResponse();
		}
	}

	@Test
	void tomcatNodeRegistersItselfAndNamesItselfInItsTokens() throws Exception {
		RedisNodeDirectory directory = tomcat.getBean(RedisNodeDirectory.class);
		assertThat(directory.localUrl()).as("advertised URL").isNotNull();
		assertThat(directory.localUrl().getPort()).isEqualTo(port(tomcat));
		assertThat(webflux.getBean(RedisNodeDirectory.class).locate(directory.localNodeId()).block(TIMEOUT))
			.isEqualTo(directory.localUrl());
		assertThat(negotiate(port(tomcat))).startsWith(directory.localNodeId() + ".");
	}

	@Test
	void requestWithATokenOfAnUnknownNodeGets404OnTomcat() throws Exception {
		// within a registration's lifetime of connecting, an unknown node may be a live one not registered yet
		Thread.sleep(Math.max(0, REGISTRATION_TTL.toMillis() - (System.currentTimeMillis() - startedMillis)));
		URI unknown = URI.create("http://127.0.0.1:" + port(tomcat) + "/java-hub?id=unknownNode1.abcdef");

		HttpResponse<String> post = send(HttpRequest.newBuilder(unknown).POST(HttpRequest.BodyPublishers.ofString("x")));
		HttpResponse<String> poll = send(HttpRequest.newBuilder(unknown).GET());

		assertThat(post.statusCode()).isEqualTo(404);
		assertThat(post.body()).isEqualTo("No Connection with that ID");
		assertThat(poll.statusCode()).isEqualTo(404);
		assertThat(poll.body()).isEqualTo("No Connection with that ID");
	}

	private String negotiate(int port) throws Exception {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/java-hub/negotiate?negotiateVersion=1"))
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
