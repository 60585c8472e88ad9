package io.github.springsignalr.webmvc;

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
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic ASP.NET SignalR 2 endpoint on Tomcat, by raw HTTP and WebSocket: what the real classic
 * clients of interop do not pin, the reference's statuses and texts for refused requests, the framing of
 * each transport on asynchronous servlet requests and Jakarta WebSocket, and the timeouts.
 */
@SpringBootTest(classes = LegacyEndpointOnTomcatTests.LegacyTomcatApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "signalr.legacy.enabled=true", "signalr.legacy.keep-alive=1s",
				"signalr.legacy.connection-timeout=2s", "signalr.legacy.disconnect-timeout=3s" })
class LegacyEndpointOnTomcatTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final String CHAT = "[{\"name\":\"chathub\"}]";

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	@LocalServerPort
	private int port;

	@Autowired
	private LegacyChat hub;

	@Test
	void negotiatePingAndTheProxyScriptAnswerAsOnWebFlux() throws Exception {
		HttpResponse<String> response = get("/signalr/negotiate?clientProtocol=1.5&connectionData=" + q(CHAT));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		JsonNode body = MAPPER.readTree(response.body());
		assertThat(body.propertyNames()).containsExactly("Url", "ConnectionToken", "ConnectionId", "KeepAliveTimeout",
				"DisconnectTimeout", "ConnectionTimeout", "TryWebSockets", "ProtocolVersion", "TransportConnectTimeout",
				"LongPollDelay");
		assertThat(body.get("Url").asString()).isEqualTo("/signalr");
		assertThat(body.get("ProtocolVersion").asString()).isEqualTo("1.5");
		assertThat(body.get("TryWebSockets").asBoolean()).isTrue();
		assertThat(negotiate("2.1").get("ProtocolVersion").asString()).isEqualTo("2.0");
		assertThat(get("/signalR/NEGOTIATE?clientProtocol=2.1").statusCode()).isEqualTo(200);
		HttpResponse<String> ping = get("/signalr/ping");
		assertThat(ping.body()).isEqualTo("{ \"Response\": \"pong\" }");
		assertThat(ping.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		HttpResponse<String> hubs = get("/signalr/hubs");
		assertThat(hubs.headers().firstValue("Content-Type")).hasValue("application/javascript;charset=UTF-8");
		// a name given by @Hub(name) is kept verbatim; methods are camel-cased
		assertThat(hubs.body()).contains("proxies['ChatHub'] = this.createHubProxy('ChatHub');").contains("echo: function (")
			.contains("$.hubConnection(\"/signalr\", { useDefaultPath: false })");
		assertThat(get("/signalr/js").body()).isEqualTo(hubs.body());
	}

	@Test
	void refusedRequestsGetTheReferenceStatusesAndTexts() throws Exception {
		JsonNode negotiate = negotiate("2.1", "X-User", "alice");
		String token = q(negotiate.get("ConnectionToken").asString());
		assertRefused(get("/signalr/connect?connectionToken=" + token, "X-User", "alice"), 400,
				"Protocol error: Unknown transport.");
		assertRefused(get("/signalr/connect?transport=carrierPigeon&connectionToken=" + token, "X-User", "alice"), 400,
				"Protocol error: Unknown transport.");
		assertRefused(get("/signalr/connect?transport=longPolling"), 400, "Protocol error: Missing connection token.");
		String tampered = negotiate.get("ConnectionToken").asString().replace('.', 'x');
		assertRefused(get("/signalr/connect?transport=longPolling&connectionToken=" + q(tampered), "X-User", "alice"),
				400, "The ConnectionId is in the incorrect format.");
		assertRefused(get("/signalr/connect?transport=longPolling&connectionToken=" + token, "X-User", "bob"), 403,
				"Unrecognized user identity.  The user identity cannot change during an active SignalR connection.");
		assertRefused(get("/signalr/connect?transport=longPolling&connectionToken=" + token), 403,
				"Unrecognized user identity.  The user identity cannot change during an active SignalR connection.");
		assertRefused(get("/signalr/negotiate?connectionData=" + q("[{\"name\":\"nohub\"}]")), 400,
				"'nohub' Hub could not be resolved.");
		assertRefused(get("/signalr/negotiate?connectionData=" + q("[{\"name\":\"chathub\"},{\"name\":\"CHATHUB\"}]")),
				400, "Duplicate Hub names found.");
		assertRefused(get("/signalr/negotiate?callback=jQuery123"), 403, "Forbidden: JSONP is disabled.");
		String anonymous = q(negotiate("2.1").get("ConnectionToken").asString());
		assertRefused(post("/signalr/send?transport=webSockets&connectionToken=" + anonymous, "data=x"), 400,
				"Not a valid web socket request.");
		assertRefused(get("/signalr/connect?transport=webSockets&connectionToken=" + anonymous), 400,
				"Not a valid web socket request.");
		assertRefused(get("/signalr/poll?transport=serverSentEvents&connectionToken=" + anonymous), 400,
				"Protocol error: Unknown transport.");
		assertRefused(get("/signalr/connect?transport=foreverFrame&frameId=x&connectionToken=" + anonymous), 400,
				"The supplied frameId is in the incorrect format.");
		assertRefused(post("/signalr/send?transport=longPolling&connectionToken=" + anonymous,
				"data=" + q("\"" + "x".repeat(70_000) + "\"")), 413, "The maximum message size of 65536B was exceeded.");
		assertThat(get("/signalr/abort?transport=longPolling&connectionToken=" + anonymous).statusCode()).isEqualTo(200);
		assertRefused(get("/signalr/start?transport=longPolling&connectionToken=" + anonymous), 404,
				"No Connection with that ID");
	}

	@Test
	void longPollingAnswersAnIdlePollAfterTheConnectionTimeoutWithSpacesAndSendAnswersTheResult() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("longPolling", negotiate);
		HttpResponse<String> connect = post("/signalr/connect?" + query, "");
		assertThat(connect.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		JsonNode init = MAPPER.readTree(connect.body());
		assertThat(init.get("S").asInt()).isEqualTo(1);
		assertThat(get("/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(this.hub.connected).containsOnlyOnce(id);
		assertThat(post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Add\",\"A\":[2,3],\"I\":0}"))
			.body()).isEqualTo("{\"I\":\"0\",\"R\":5}");
		post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",\"b\"],\"I\":1}"));
		String cursor = init.get("C").asString();
		String first = post("/signalr/poll?" + query, "messageId=" + q(cursor)).body();
		assertThat(first).contains("{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"a\",\"b\"]}");
		String seen = MAPPER.readTree(first).get("C").asString();
		long start = System.nanoTime();
		String idle = post("/signalr/poll?" + query, "messageId=" + q(seen)).body();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		assertThat(idle).startsWith(" ").endsWith("{\"C\":\"" + seen + "\",\"M\":[]}");
		HttpResponse<String> abort = post("/signalr/abort?" + query, "");
		assertThat(abort.statusCode()).isEqualTo(200);
		assertThat(abort.body()).isEmpty();
		assertThat(this.hub.disconnected).containsOnlyOnce(id + ":null");
	}

	@Test
	void serverSentEventsAndForeverFramesCarryInitKeepAlivesAndMessages() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String query = common("serverSentEvents", negotiate);
		HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url("/signalr/connect?" + query)))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		BlockingQueue<String> events = lines(stream.body());
		assertThat(next(events)).isEqualTo("data: initialized");
		assertThat(next(events)).matches("data: \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		get("/signalr/start?" + query);
		assertThat(next(events)).isEqualTo("data: {}");
		assertThat(post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"))
			.body()).isEqualTo("{\"I\":\"0\",\"R\":\"x\"}");
		post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",\"</script>\"],\"I\":1}"));
		assertThat(message(events, "data: {}")).matches(
				"data: \\{\"C\":\"[^\"]+\",\"M\":\\[\\{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":\\[\"a\",\"</script>\"]}]}");
		JsonNode framed = negotiate("2.1");
		String frameQuery = common("foreverFrame", framed);
		HttpResponse<InputStream> frame = HTTP.send(HttpRequest.newBuilder(
				URI.create(url("/signalr/connect?" + frameQuery + "&frameId=7"))).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(frame.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		assertThat(frame.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
		BlockingQueue<String> scripts = lines(frame.body());
		StringBuilder prologue = new StringBuilder();
		String line = next(scripts);
		while (!line.startsWith("<script>r(c, {\"C\"")) {
			prologue.append(line).append('\n');
			line = next(scripts);
		}
		assertThat(prologue).startsWith("<!DOCTYPE html>").contains("ff.getConnection('7')");
		assertThat(line).matches("<script>r\\(c, \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}\\);</script>");
		get("/signalr/start?" + frameQuery);
		post("/signalr/send?" + frameQuery,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"b\",\"</script>\"],\"I\":0}"));
		assertThat(message(scripts, "<script>r(c, {});</script>")).startsWith("<script>r(c, {\"C\":")
			.contains("\"A\":[\"b\",\"\\u003c/script\\u003e\"]");
		post("/signalr/abort?" + query, "");
		post("/signalr/abort?" + frameQuery, "");
		stream.body().close();
		frame.body().close();
	}

	@Test
	void webSocketSendsInitFirstIgnoresJunkFramesAndAnswersInvocations() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("webSockets", negotiate);
		Frames frames = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/signalr/connect?" + query), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).matches("\\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		assertThat(get("/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		socket.sendText("{}", true).get(10, TimeUnit.SECONDS);
		socket.sendText("not json", true).get(10, TimeUnit.SECONDS);
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Add\",\"A\":[2,3],\"I\":\"7\"}", true).get(10, TimeUnit.SECONDS);
		assertThat(message(frames.texts, "{}")).isEqualTo("{\"I\":\"7\",\"R\":5}");
		socket.sendText("{\"H\":\"chathub\",\"M\":\"ThrowHub\",\"A\":[],\"I\":8}", true).get(10, TimeUnit.SECONDS);
		assertThat(message(frames.texts, "{}"))
			.isEqualTo("{\"I\":\"8\",\"E\":\"boom\",\"H\":true,\"D\":{\"ErrorNumber\":42}}");
		assertThat(next(frames.texts)).isEqualTo("{}");
		assertThat(frames.closed).isNotDone();
		assertThat(this.hub.connected).containsOnlyOnce(id);
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"" + "x".repeat(70 * 1024) + "\"],\"I\":0}", true);
		assertThat(frames.closed.get(10, TimeUnit.SECONDS)).as("the close status").isNotNull();
		get("/signalr/abort?" + query);
	}

	@Test
	void webSocketClosedWithoutAbortEndsWithATimeoutAfterTheDisconnectTimeout() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("webSockets", negotiate);
		Frames frames = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/signalr/connect?" + query), frames)
			.get(10, TimeUnit.SECONDS);
		next(frames.texts);
		get("/signalr/start?" + query);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		long closed = System.nanoTime();
		long deadline = closed + Duration.ofSeconds(15).toNanos();
		while (this.hub.disconnected.stream().noneMatch((entry) -> entry.startsWith(id)) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		// 5 s of threshold, then the DisconnectTimeout of 3 s
		assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThan(Duration.ofSeconds(7));
		assertThat(this.hub.disconnected).containsOnlyOnce(id + ":TimeoutException");
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String form) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode negotiate(String clientProtocol, String... headers) throws Exception {
		HttpResponse<String> response = get("/signalr/negotiate?clientProtocol=" + clientProtocol + "&connectionData="
				+ q(CHAT), headers);
		assertThat(response.statusCode()).isEqualTo(200);
		return MAPPER.readTree(response.body());
	}

	private static String common(String transport, JsonNode negotiate) {
		return "transport=" + transport + "&clientProtocol=2.1&connectionToken="
				+ q(negotiate.get("ConnectionToken").asString()) + "&connectionData=" + q(CHAT);
	}

	private static void assertRefused(HttpResponse<String> response, int status, String text) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.body()).isEqualTo(text);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
	}

	/** The next message that is not a keep-alive. */
	private static String message(BlockingQueue<String> messages, String keepAlive) throws InterruptedException {
		String message = next(messages);
		while (message.equals(keepAlive)) {
			message = next(messages);
		}
		return message;
	}

	private static String next(BlockingQueue<String> queue) throws InterruptedException {
		String value = queue.poll(10, TimeUnit.SECONDS);
		assertThat(value).as("a message within 10 s").isNotNull();
		return value;
	}

	private static BlockingQueue<String> lines(InputStream body) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
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

	/** Collects the text frames of a socket. */
	static final class Frames implements WebSocket.Listener {

		final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

		final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.texts.add(this.partial.toString());
				this.partial.setLength(0);
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
			this.closed.complete(status);
			return null;
		}
	}

	/** A part of the conformance fixture's ChatHub, counting its connection events. */
	@Hub(value = "/legacychat", name = "ChatHub")
	static class LegacyChat {

		final List<String> connected = new CopyOnWriteArrayList<>();

		final List<String> disconnected = new CopyOnWriteArrayList<>();

		public String echo(String message) {
			return message;
		}

		public int add(int x, int y) {
			return x + y;
		}

		public Mono<Void> send(String name, String message, HubCallerClients clients) {
			return clients.all().send("addMessage", name, message);
		}

		public void throwHub() {
			throw HubException.withErrorData("boom", Map.of("ErrorNumber", 42));
		}

		@OnConnected
		public void onConnected(HubCallerContext caller) {
			this.connected.add(caller.connectionId());
		}

		@OnDisconnected
		public void onDisconnected(HubCallerContext caller, @Nullable Throwable cause) {
			this.disconnected
				.add(caller.connectionId() + ":" + ((cause != null) ? cause.getClass().getSimpleName() : null));
		}
	}

	/** A servlet application with the classic endpoint, a user named by the {@code X-User} header. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(LegacyChat.class)
	static class LegacyTomcatApplication {

		/** A user named by the {@code X-User} header, as a security filter would give one. */
		@Bean
		Filter userFromHeader() {
			return (request, response, chain) -> {
				String name = ((HttpServletRequest) request).getHeader("X-User");
				chain.doFilter((name == null) ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
					@Override
					public Principal getUserPrincipal() {
						return () -> name;
					}
				}, response);
			};
		}
	}
}
