package io.github.springsignalr.webflux;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ResolvableType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.HubContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic ASP.NET SignalR 2 endpoint driven by hand over raw HTTP and WebSocket, as the contract's
 * conformance scenarios 1, 2, 3, 5, 6 and 7 describe, with short timings (KeepAlive 1 s, ConnectionTimeout
 * 2 s, DisconnectTimeout 3 s).
 */
class LegacyEndpointIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private static final String CHAT = "[{\"name\":\"chathub\"}]";

	private static ConfigurableApplicationContext server;

	private static int port;

	private static LegacyChatHub hub;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(LegacyApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.legacy.enabled=true",
					"signalr.legacy.keep-alive=1s", "signalr.legacy.connection-timeout=2s",
					"signalr.legacy.disconnect-timeout=3s", "signalr.hubs.SecretHub.authenticated=true")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
		hub = server.getBean(LegacyChatHub.class);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + port + path;
	}

	private static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String path, String form) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode negotiate(String clientProtocol, String... headers) throws Exception {
		HttpResponse<String> response = get("/signalr/negotiate?clientProtocol=" + clientProtocol + "&connectionData="
				+ q(CHAT), headers);
		assertThat(response.statusCode()).isEqualTo(200);
		return MAPPER.readTree(response.body());
	}

	private static String common(String transport, JsonNode negotiate, String clientProtocol) {
		return "transport=" + transport + "&clientProtocol=" + clientProtocol + "&connectionToken="
				+ q(negotiate.get("ConnectionToken").asString()) + "&connectionData=" + q(CHAT);
	}

	@Test
	void negotiateAnswersTheTenFieldsWithTheClientsVersionClamped() throws Exception {
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
		assertThat(response.body()).contains("\"KeepAliveTimeout\":2.0,\"DisconnectTimeout\":3.0,"
				+ "\"ConnectionTimeout\":2.0,\"TryWebSockets\":true");
		assertThat(negotiate("2.1").get("ProtocolVersion").asString()).isEqualTo("2.0");
		assertThat(negotiate("1.3").get("ProtocolVersion").asString()).isEqualTo("1.3");
		assertThat(MAPPER.readTree(get("/signalr/negotiate").body()).get("ProtocolVersion").asString())
			.isEqualTo("1.2");
	}

	@Test
	void negotiateAnswersVersionOnePointTwoForAClientProtocolOfDotsOnly() throws Exception {
		// found by LegacyRequestFuzzTests: "." split into no parts and negotiate failed with a 500
		assertThat(negotiate(".").get("ProtocolVersion").asString()).isEqualTo("1.2");
		assertThat(negotiate("..").get("ProtocolVersion").asString()).isEqualTo("1.2");
	}

	@Test
	void pathAndSuffixMatchIgnoringCaseAndPingAnswersPong() throws Exception {
		assertThat(get("/signalR/NEGOTIATE?clientProtocol=2.1").statusCode()).isEqualTo(200);
		HttpResponse<String> ping = get("/signalr/ping");
		assertThat(ping.statusCode()).isEqualTo(200);
		assertThat(ping.body()).isEqualTo("{ \"Response\": \"pong\" }");
		assertThat(get("/signalr/nothing").statusCode()).isEqualTo(404);
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
		assertRefused(get("/signalr/negotiate?connectionData=" + q("[{\"name\":\"nohub\"}]")), 400,
				"'nohub' Hub could not be resolved.");
		assertRefused(get("/signalr/negotiate?connectionData=" + q("[{\"name\":\"chathub\"},{\"name\":\"CHATHUB\"}]")),
				400, "Duplicate Hub names found.");
		assertThat(get("/signalr/negotiate?callback=jQuery123").statusCode()).isEqualTo(403);
		String anonymous = q(negotiate("2.1").get("ConnectionToken").asString());
		assertRefused(post("/signalr/send?transport=webSockets&connectionToken=" + anonymous, "data=x"), 400,
				"Not a valid web socket request.");
	}

	@Test
	void hubsTheCallerMayNotUseAreRefusedAtNegotiateOrLeftOutOfItsConnection() throws Exception {
		String secret = q("[{\"name\":\"secrethub\"}]");
		assertThat(get("/signalr/negotiate?clientProtocol=2.1&connectionData=" + secret).statusCode()).isEqualTo(401);
		assertThat(get("/signalr/negotiate?clientProtocol=2.1&connectionData=" + secret, "X-User", "alice").statusCode())
			.isEqualTo(200);
		JsonNode negotiate = negotiate("2.1");
		String query = common("longPolling", negotiate, "2.1");
		get("/signalr/connect?" + query);
		assertThat(post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"secrethub\",\"M\":\"Whisper\",\"A\":[\"x\"],\"I\":0}")).body())
			.isEqualTo("{\"I\":\"0\",\"E\":\"There was an error invoking Hub method 'secrethub.Whisper'.\"}");
		get("/signalr/abort?" + query);
	}

	@Test
	void sendOverTheClassicMessageSizeIsRefusedWith413AndTheConnectionLivesOn() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String query = common("longPolling", negotiate, "2.1");
		get("/signalr/connect?" + query);
		String fits = "x".repeat(60_000);
		assertRefused(post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"" + "x".repeat(70_000) + "\"],\"I\":0}")), 413,
				"The maximum message size of 65536B was exceeded.");
		assertRefused(post("/signalr/send?" + query, "data=" + q("\"" + "\u00e9".repeat(150_000) + "\"")), 413,
				"The maximum message size of 65536B was exceeded.");
		assertThat(post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"" + fits + "\"],\"I\":1}")).body())
			.isEqualTo("{\"I\":\"1\",\"R\":\"" + fits + "\"}");
		get("/signalr/abort?" + query);
	}

	private static void assertRefused(HttpResponse<String> response, int status, String text) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.body()).isEqualTo(text);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
	}

	@Test
	void serverSentEventsCarryInitKeepAlivesAndMessagesAndAbortEndsTheConnectionOnce() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "2.1");
		HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url("/signalr/connect?" + query)))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		BlockingQueue<String> events = lines(stream.body());
		assertThat(next(events)).isEqualTo("data: initialized");
		assertThat(next(events)).matches("data: \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		assertThat(hub.connectedCount(id)).isZero();
		HttpResponse<String> started = get("/signalr/start?" + query);
		assertThat(started.body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(started.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		assertThat(next(events)).isEqualTo("data: {}");
		HttpResponse<String> echo = post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		assertThat(echo.body()).isEqualTo("{\"I\":\"0\",\"R\":\"x\"}");
		post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",\"b\"],\"I\":1}"));
		String message = next(events);
		while (message.equals("data: {}")) {
			message = next(events);
		}
		assertThat(message).matches(
				"data: \\{\"C\":\"[^\"]+\",\"M\":\\[\\{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":\\[\"a\",\"b\"]}]}");
		HttpResponse<String> abort = post("/signalr/abort?" + query, "");
		assertThat(abort.statusCode()).isEqualTo(200);
		assertThat(abort.body()).isEmpty();
		assertThat(abort.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		post("/signalr/abort?" + query, "");
		assertThat(hub.disconnected).containsOnlyOnce(id + ":null");
		assertThat(get("/signalr/reconnect?" + query).statusCode()).isEqualTo(404);
	}

	@Test
	void longPollingAnswersInitAtOnceReplaysAnOldCursorAndAnswersAnIdlePollAfterTheConnectionTimeout()
			throws Exception {
		JsonNode negotiate = negotiate("1.3");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("longPolling", negotiate, "1.3");
		HttpResponse<String> connect = get("/signalr/connect?" + query);
		assertThat(connect.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		JsonNode init = MAPPER.readTree(connect.body());
		assertThat(init.get("S").asInt()).isEqualTo(1);
		// protocol 1.3 (signalr4j): OnConnected at /connect
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		String cursor = init.get("C").asString();
		HttpResponse<String> sent = post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"ChatHub\",\"M\":\"Send\",\"A\":[\"a\",\"1\"],\"I\":\"0\"}"));
		assertThat(sent.body()).isEqualTo("{\"I\":\"0\"}");
		String first = post("/signalr/poll?" + query, "messageId=" + q(cursor)).body();
		assertThat(first).contains("\"M\":\"addMessage\",\"A\":[\"a\",\"1\"]");
		assertThat(get("/signalr/poll?" + query + "&messageId=" + q(cursor)).body()).isEqualTo(first);
		String seen = MAPPER.readTree(first).get("C").asString();
		long start = System.nanoTime();
		String idle = get("/signalr/poll?" + query + "&messageId=" + q(seen)).body();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		assertThat(idle).startsWith(" ").endsWith("{\"C\":\"" + seen + "\",\"M\":[]}");
		assertThat(idle.trim()).isEqualTo("{\"C\":\"" + seen + "\",\"M\":[]}");
		get("/signalr/abort?" + query);
	}

	@Test
	void webSocketSendsInitFirstKeepAlivesAndResultsAndIgnoresJunkFrames() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("webSockets", negotiate, "2.1");
		assertRefused(get("/signalr/connect?" + query), 400, "Not a valid web socket request.");
		Frames frames = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/signalr/connect?" + query), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).matches("\\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		assertThat(get("/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		socket.sendText("{}", true).get(10, TimeUnit.SECONDS);
		socket.sendText("not json", true).get(10, TimeUnit.SECONDS);
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Add\",\"A\":[2,3],\"I\":\"7\"}", true).get(10, TimeUnit.SECONDS);
		String frame = next(frames.texts);
		while (frame.equals("{}")) {
			frame = next(frames.texts);
		}
		assertThat(frame).isEqualTo("{\"I\":\"7\",\"R\":5}");
		socket.sendText("{\"H\":\"chathub\",\"M\":\"ThrowHub\",\"A\":[],\"I\":8}", true).get(10, TimeUnit.SECONDS);
		frame = next(frames.texts);
		while (frame.equals("{}")) {
			frame = next(frames.texts);
		}
		assertThat(frame).isEqualTo("{\"I\":\"8\",\"E\":\"boom\",\"H\":true,\"D\":{\"ErrorNumber\":42}}");
		assertThat(next(frames.texts)).isEqualTo("{}");
		assertThat(frames.closed).isNotDone();
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		get("/signalr/abort?" + query);
	}

	@Test
	void reconnectDeliversWhatWasSentDuringTheGapOnceAndInOrderAndRunsOnReconnectedOnly() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "2.1");
		HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url("/signalr/connect?" + query)))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		BlockingQueue<String> events = lines(stream.body());
		assertThat(next(events)).isEqualTo("data: initialized");
		next(events);
		get("/signalr/start?" + query);
		assertThat(post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"JoinGroup\",\"A\":[\"room\"],\"I\":0}")).body())
			.isEqualTo("{\"I\":\"0\"}");
		HubContext<LegacyChatHub> context = hubContext();
		context.clients().group("room").send("addMessage", "m1").block(TIMEOUT);
		String first = message(events);
		assertThat(first).contains("\"A\":[\"m1\"]");
		String cursor = MAPPER.readTree(first.substring("data: ".length())).get("C").asString();
		stream.body().close();
		Thread.sleep(300);
		for (String message : new String[] { "m2", "m3", "m4" }) {
			context.clients().group("room").send("addMessage", message).block(TIMEOUT);
		}
		HttpResponse<InputStream> again = HTTP.send(HttpRequest.newBuilder(URI.create(url("/signalr/reconnect?" + query
				+ "&messageId=" + q(cursor)))).build(), HttpResponse.BodyHandlers.ofInputStream());
		BlockingQueue<String> resumed = lines(again.body());
		assertThat(next(resumed)).isEqualTo("data: initialized");
		String missed = message(resumed);
		assertThat(missed).matches("data: \\{\"C\":\"[^\"]+\",\"M\":\\[\\{[^]]*\"A\":\\[\"m2\"]},\\{[^]]*\"A\":\\[\"m3\"]},"
				+ "\\{[^]]*\"A\":\\[\"m4\"]}]}");
		context.clients().group("room").send("addMessage", "m5").block(TIMEOUT);
		assertThat(message(resumed)).contains("\"A\":[\"m5\"]");
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		// OnReconnected runs off the event loop, as every blocking hub method
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!hub.reconnected.contains(id) && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(hub.reconnected).containsOnlyOnce(id);
		assertThat(hub.disconnected).noneMatch((entry) -> entry.startsWith(id));
		get("/signalr/abort?" + query);
		again.body().close();
	}

	@Test
	void webSocketClosedWithoutAbortEndsWithATimeoutAfterTheDisconnectTimeout() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String id = negotiate.get("ConnectionId").asString();
		String query = common("webSockets", negotiate, "2.1");
		Frames frames = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/signalr/connect?" + query), frames)
			.get(10, TimeUnit.SECONDS);
		next(frames.texts);
		get("/signalr/start?" + query);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		long closed = System.nanoTime();
		long deadline = closed + Duration.ofSeconds(15).toNanos();
		while (hub.disconnected.stream().noneMatch((entry) -> entry.startsWith(id)) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		// 5 s of threshold, then the DisconnectTimeout of 3 s
		assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThan(Duration.ofSeconds(7));
		assertThat(hub.disconnected).containsOnlyOnce(id + ":TimeoutException");
	}

	@Test
	void webSocketHandshakeWithTheConnectionHeaderTwiceIsAcceptedAndAMessageOverSixtyFourKibibytesClosesTheSocket()
			throws Exception {
		JsonNode negotiate = negotiate("1.5");
		String query = common("webSockets", negotiate, "1.5");
		// signalr-client-threads repeats the headers of its HTTP session in the handshake
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(("GET /signalr/connect?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nConnection: Upgrade\r\nConnection: keep-alive\r\nUpgrade: websocket\r\n"
					+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Accept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(status).startsWith("HTTP/1.1 101");
		}
		get("/signalr/abort?" + query);
		JsonNode second = negotiate("2.1");
		String secondQuery = common("webSockets", second, "2.1");
		Frames frames = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/signalr/connect?" + secondQuery), frames)
			.get(10, TimeUnit.SECONDS);
		next(frames.texts);
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"" + "x".repeat(70 * 1024) + "\"],\"I\":0}", true);
		assertThat(frames.closed.get(10, TimeUnit.SECONDS)).as("the close status").isNotNull();
		get("/signalr/abort?" + secondQuery);
	}

	@Test
	void legacyAndAspNetCoreClientsOfOneHubReachEachOtherEachInItsOwnEncoding() throws Exception {
		JsonNode negotiate = negotiate("2.1");
		String legacyId = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "2.1");
		HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url("/signalr/connect?" + query)))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		BlockingQueue<String> events = lines(stream.body());
		next(events);
		next(events);
		get("/signalr/start?" + query);
		Frames modern = new Frames();
		WebSocket socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), modern)
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).get(10, TimeUnit.SECONDS);
		assertThat(next(modern.texts)).isEqualTo("{}\u001e");
		post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"old\",\"hi\"],\"I\":0}"));
		assertThat(message(events)).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"old\",\"hi\"]}]}");
		assertThat(modernMessage(modern)).isEqualTo("{\"type\":1,\"target\":\"addMessage\",\"arguments\":[\"old\",\"hi\"]}\u001e");
		socket.sendText("{\"type\":1,\"target\":\"SendToClient\",\"arguments\":[\"" + legacyId + "\",\"psst\"]}\u001e",
				true).get(10, TimeUnit.SECONDS);
		assertThat(message(events)).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"direct\",\"psst\"]}]}");
		hubContext().clients().all().send("addMessage", "server", "all").block(TIMEOUT);
		assertThat(message(events)).contains("\"A\":[\"server\",\"all\"]");
		assertThat(modernMessage(modern)).contains("\"arguments\":[\"server\",\"all\"]");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		get("/signalr/abort?" + query);
	}

	/** The next message of an ASP.NET Core client that is not a ping. */
	private static String modernMessage(Frames frames) throws InterruptedException {
		String frame = next(frames.texts);
		while (frame.startsWith("{\"type\":6")) {
			frame = next(frames.texts);
		}
		return frame;
	}

	@SuppressWarnings("unchecked")
	private static HubContext<LegacyChatHub> hubContext() {
		return (HubContext<LegacyChatHub>) server.getBeanProvider(
				ResolvableType.forClassWithGenerics(HubContext.class, LegacyChatHub.class)).getObject();
	}

	/** The next event that is not a keep-alive. */
	private static String message(BlockingQueue<String> events) throws InterruptedException {
		String event = next(events);
		while (event.equals("data: {}")) {
			event = next(events);
		}
		return event;
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ LegacyChatHub.class, LegacySecretHub.class })
	static class LegacyApplication {

		/** A user named by the {@code X-User} header, as a security filter would give one. */
		@Bean
		WebFilter userFromHeader() {
			return (exchange, chain) -> {
				String name = exchange.getRequest().getHeaders().getFirst("X-User");
				return (name != null) ? chain.filter(exchange.mutate()
					.principal(Mono.just(UsernamePasswordAuthenticationToken.authenticated(name, null, List.of())))
					.build()) : chain.filter(exchange);
			};
		}
	}
}
