package io.github.springsignalr.redis;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ResolvableType;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two Spring Boot nodes sharing a real Redis, both serving the classic ASP.NET SignalR 2 endpoint: a
 * raw-HTTP legacy client whose requests alternate between the nodes keeps working (the node that did not
 * negotiate forwards them to the one that did), and legacy and ASP.NET Core clients on different nodes
 * reach each other with broadcasts, group sends and {@code HubContext} sends, each in its own encoding.
 * The nodes sign tokens with secrets of their own: each checks only the tokens it issued.
 */
class LegacyScaleOutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final String CHAT = "[{\"name\":\"chathub\"}]";

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		first = start();
		second = start();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(LegacyChatApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.redis.enabled=true",
					"signalr.redis.url=" + redis.url(), "signalr.legacy.enabled=true",
					"signalr.legacy.connection-timeout=2s", "signalr.legacy.keep-alive=1s")
			.run();
	}

	@AfterAll
	static void stopNodes() {
		for (AutoCloseable closeable : new AutoCloseable[] { first, second, redis }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					// closing the others
				}
			}
		}
	}

	@Test
	void longPollingClientWhoseRequestsAlternateBetweenNodesKeepsWorking() throws Exception {
		JsonNode negotiate = negotiate(first);
		String id = negotiate.get("ConnectionId").asString();
		String query = query("longPolling", negotiate);
		long forwardedBefore = forwarded();
		JsonNode init = MAPPER.readTree(post(second, "/signalr/connect?" + query, "").body());
		assertThat(init.get("S").asInt()).isEqualTo(1);
		assertThat(get(first, "/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(hub(first).connected).containsOnlyOnce(id);
		assertThat(hub(second).connected).doesNotContain(id);
		HttpResponse<String> echo = post(second, "/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		assertThat(echo.body()).isEqualTo("{\"I\":\"0\",\"R\":\"x\"}");
		post(first, "/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",\"1\"],\"I\":1}"));
		String poll = post(second, "/signalr/poll?" + query, "messageId=" + q(init.get("C").asString())).body();
		assertThat(poll).contains("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"a\",\"1\"]}]");
		String cursor = MAPPER.readTree(poll).get("C").asString();
		hubContext(second).clients().client(id).send("addMessage", "context", "2").block(TIMEOUT);
		assertThat(get(first, "/signalr/poll?" + query + "&messageId=" + q(cursor)).body())
			.contains("\"A\":[\"context\",\"2\"]");
		assertThat(post(second, "/signalr/abort?" + query, "").statusCode()).isEqualTo(200);
		assertThat(hub(first).disconnected).containsOnlyOnce(id);
		assertThat(get(second, "/signalr/poll?" + query).statusCode()).isEqualTo(404);
		// connect, send, poll, abort and the last poll went through the node that did not negotiate
		assertThat(forwarded() - forwardedBefore).isGreaterThanOrEqualTo(5);
	}

	@Test
	void serverSentEventsClientWhoseRequestsLandOnTheOtherNodeKeepsWorking() throws Exception {
		JsonNode negotiate = negotiate(second);
		String id = negotiate.get("ConnectionId").asString();
		String query = query("serverSentEvents", negotiate);
		BlockingQueue<String> events = stream(first, query);
		assertThat(next(events)).isEqualTo("data: initialized");
		assertThat(next(events)).matches("data: \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		get(first, "/signalr/start?" + query);
		assertThat(hub(second).connected).containsOnlyOnce(id);
		assertThat(post(first, "/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"y\"],\"I\":0}")).body())
			.isEqualTo("{\"I\":\"0\",\"R\":\"y\"}");
		post(second, "/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"b\",\"2\"],\"I\":1}"));
		assertThat(message(events)).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"b\",\"2\"]}]}");
		post(first, "/signalr/abort?" + query, "");
		assertThat(hub(second).disconnected).containsOnlyOnce(id);
	}

	@Test
	void webSocketOpenedOnTheOtherNodeIsRelayedToTheNodeThatNegotiated() throws Exception {
		JsonNode negotiate = negotiate(first);
		String id = negotiate.get("ConnectionId").asString();
		String query = query("webSockets", negotiate);
		Frames frames = new Frames();
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port(second) + "/signalr/connect?" + query), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).matches("\\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		assertThat(get(second, "/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(hub(first).connected).containsOnlyOnce(id);
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"z\"],\"I\":0}", true).get(10, TimeUnit.SECONDS);
		String result = next(frames.texts);
		while (result.equals("{}")) {
			result = next(frames.texts);
		}
		assertThat(result).isEqualTo("{\"I\":\"0\",\"R\":\"z\"}");
		post(second, "/signalr/abort?" + query, "");
		assertThat(hub(first).disconnected).containsOnlyOnce(id);
		socket.abort();
	}

	@Test
	void legacyAndAspNetCoreClientsOnDifferentNodesReachEachOtherWithBroadcastsAndGroupSends() throws Exception {
		JsonNode negotiate = negotiate(first);
		String legacyId = negotiate.get("ConnectionId").asString();
		String query = query("serverSentEvents", negotiate);
		BlockingQueue<String> events = stream(first, query);
		next(events);
		next(events);
		get(first, "/signalr/start?" + query);
		Frames modern = new Frames();
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port(second) + "/chat"), modern)
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).get(10, TimeUnit.SECONDS);
		assertThat(next(modern.texts)).isEqualTo("{}\u001e");

		// node B's modern client broadcasts: node A's legacy client gets it in the classic encoding
		invoke(socket, "Send", "\"modern\",\"hi\"");
		assertThat(message(events)).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"modern\",\"hi\"]}]}");
		assertThat(modernMessage(modern)).isEqualTo(
				"{\"type\":1,\"target\":\"addMessage\",\"arguments\":[\"modern\",\"hi\"]}\u001e");
		// and the reverse
		legacySend(query, "Send", "\"legacy\",\"hello\"");
		assertThat(modernMessage(modern)).isEqualTo(
				"{\"type\":1,\"target\":\"addMessage\",\"arguments\":[\"legacy\",\"hello\"]}\u001e");
		assertThat(message(events)).contains("\"A\":[\"legacy\",\"hello\"]");

		// group sends, both ways
		legacySend(query, "JoinGroup", "\"room\"");
		invoke(socket, "JoinGroup", "\"room\"");
		invoke(socket, "SendToGroup", "\"room\",\"from modern\"");
		assertThat(message(events)).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"room\",\"from modern\"]}]}");
		assertThat(modernMessage(modern)).contains("\"arguments\":[\"room\",\"from modern\"]");
		legacySend(query, "SendToGroup", "\"room\",\"from legacy\"");
		assertThat(modernMessage(modern)).contains("\"arguments\":[\"room\",\"from legacy\"]");
		assertThat(message(events)).contains("\"A\":[\"room\",\"from legacy\"]");

		// node B's HubContext: to the legacy connection of node A, and to a group it adds it to
		HubContext<ChatHub> context = hubContext(second);
		context.clients().client(legacyId).send("addMessage", "direct", "1").block(TIMEOUT);
		assertThat(message(events)).contains("\"A\":[\"direct\",\"1\"]");
		context.groups().addToGroup(legacyId, "added").block(TIMEOUT);
		context.clients().group("added").send("addMessage", "added", "2").block(TIMEOUT);
		assertThat(message(events)).contains("\"A\":[\"added\",\"2\"]");

		// a client result asked of it fails at once, saying why (not in the classic protocol's name)
		assertThatThrownBy(() -> context.clients().client(legacyId).invoke("getAnswer", String.class).block(TIMEOUT))
			.isInstanceOf(HubException.class)
			.hasMessage("Connection '" + legacyId + "' is a classic ASP.NET SignalR 2 client: classic clients cannot"
					+ " return client results.");

		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		post(first, "/signalr/abort?" + query, "");
	}

	private void legacySend(String query, String method, String arguments) throws Exception {
		HttpResponse<String> response = post(first, "/signalr/send?" + query, "data="
				+ q("{\"H\":\"chathub\",\"M\":\"" + method + "\",\"A\":[" + arguments + "],\"I\":0}"));
		assertThat(response.body()).isEqualTo("{\"I\":\"0\"}");
	}

	/** A non-blocking invocation of the modern client (answered by a completion it skips). */
	private static void invoke(WebSocket socket, String method, String arguments) throws Exception {
		socket.sendText("{\"type\":1,\"invocationId\":\"" + method + "\",\"target\":\"" + method + "\",\"arguments\":["
				+ arguments + "]}\u001e", true).get(10, TimeUnit.SECONDS);
	}

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	private static long forwarded() {
		return first.getBean(RequestForwardingWebFilter.class).forwardedCount()
				+ second.getBean(RequestForwardingWebFilter.class).forwardedCount();
	}

	private static ChatHub hub(ConfigurableApplicationContext node) {
		return node.getBean(ChatHub.class);
	}

	@SuppressWarnings("unchecked")
	private static HubContext<ChatHub> hubContext(ConfigurableApplicationContext node) {
		return (HubContext<ChatHub>) node.getBeanProvider(
				ResolvableType.forClassWithGenerics(HubContext.class, ChatHub.class)).getObject();
	}

	private static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static URI uri(ConfigurableApplicationContext node, String path) {
		return URI.create("http://127.0.0.1:" + port(node) + path);
	}

	private HttpResponse<String> get(ConfigurableApplicationContext node, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(node, path)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(ConfigurableApplicationContext node, String path, String form) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(node, path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode negotiate(ConfigurableApplicationContext node) throws Exception {
		HttpResponse<String> response = get(node, "/signalr/negotiate?clientProtocol=2.1&connectionData=" + q(CHAT));
		assertThat(response.statusCode()).isEqualTo(200);
		return MAPPER.readTree(response.body());
	}

	private static String query(String transport, JsonNode negotiate) {
		return "transport=" + transport + "&clientProtocol=2.1&connectionToken="
				+ q(negotiate.get("ConnectionToken").asString()) + "&connectionData=" + q(CHAT);
	}

	/** The lines of a server-sent events stream opened on a node. */
	private BlockingQueue<String> stream(ConfigurableApplicationContext node, String query) throws Exception {
		HttpResponse<InputStream> response = this.http.send(
				HttpRequest.newBuilder(uri(node, "/signalr/connect?" + query)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		InputStream body = response.body();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					if (!line.isEmpty()) {
						lines.add(line);
					}
				}
			}
			catch (Exception ex) {
				// the stream ended
			}
		});
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	/** The next event that is not a keep-alive. */
	private static String message(BlockingQueue<String> events) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		String event = next(events);
		while (event.equals("data: {}")) {
			assertThat(System.nanoTime()).as("a message within 10 s").isLessThan(deadline);
			event = next(events);
		}
		return event;
	}

	/** The next invocation a modern client received (pings and completions skipped). */
	private static String modernMessage(Frames frames) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		String frame = next(frames.texts);
		while (frame.startsWith("{\"type\":6") || frame.startsWith("{\"type\":3")) {
			assertThat(System.nanoTime()).as("a message within 10 s").isLessThan(deadline);
			frame = next(frames.texts);
		}
		return frame;
	}

	private static String next(BlockingQueue<String> queue) throws InterruptedException {
		String value = queue.poll(10, TimeUnit.SECONDS);
		assertThat(value).as("a message within 10 s").isNotNull();
		return value;
	}

	/** Collects the text frames of a socket, one record separator-terminated message each. */
	static final class Frames implements WebSocket.Listener {

		final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				for (String message : this.partial.toString().split("(?<=\u001e)")) {
					this.texts.add(message);
				}
				this.partial.setLength(0);
			}
			socket.request(1);
			return null;
		}
	}

	/** The chat hub both nodes serve, on the ASP.NET Core path and the legacy endpoint. */
	@Hub(value = "/chat", name = "ChatHub")
	static class ChatHub {

		final List<String> connected = new CopyOnWriteArrayList<>();

		final List<String> disconnected = new CopyOnWriteArrayList<>();

		public String echo(String message) {
			return message;
		}

		public Mono<Void> send(String name, String message, HubCallerClients clients) {
			return clients.all().send("addMessage", name, message);
		}

		public Mono<Void> joinGroup(String group, GroupManager groups, HubCallerContext caller) {
			return groups.addToGroup(caller.connectionId(), group);
		}

		public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
			return clients.group(group).send("addMessage", group, message);
		}

		@OnConnected
		public void onConnected(HubCallerContext caller) {
			this.connected.add(caller.connectionId());
		}

		@OnDisconnected
		public void onDisconnected(HubCallerContext caller) {
			this.disconnected.add(caller.connectionId());
		}
	}

	/** The application both nodes run. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ChatHub.class)
	static class LegacyChatApplication {

	}
}
