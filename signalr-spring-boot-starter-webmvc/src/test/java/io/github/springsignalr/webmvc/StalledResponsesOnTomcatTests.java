package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnDisconnected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Responses that Tomcat cannot hand to their clients, more of them than the threads that write for every
 * connection (on Java 17 a bounded pool of ten per core), on raw sockets that never read: the answers of
 * modern long polls, and the classic endpoint's serverSentEvents, foreverFrame and long-poll responses,
 * each carrying more than the sockets' buffers hold. No thread waits for them: a well-behaved client's
 * invocations and messages (over long polling, whose answers are written by those threads) keep flowing
 * within their usual time, and the stuck connections end with their {@code OnDisconnected}, as on
 * Reactor Netty: a long poll not read once its connection is given up after the disconnect timeout (its
 * socket closed), a classic stream once it holds more unsent than twice the connection's message buffer (8 MB;
 * its socket closed, the connection then left to its disconnect timeout), a classic poll by the disconnect
 * timeout of a client that does not poll again.
 */
class StalledResponsesOnTomcatTests {

	private static final int STALLED = Math.max(10, Runtime.getRuntime().availableProcessors() * 10) + 4;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** What a well-behaved client's invocation takes at most here, loaded machine included. */
	private static final Duration USUAL = Duration.ofSeconds(5);

	private static final int MB = 1024 * 1024;

	/** More than the kernel's send buffer of a socket may grow to (4 MB here) and what Tomcat holds. */
	private static final int ANSWER = 8 * MB;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final String CLASSIC_HUBS = URLEncoder.encode("[{\"name\":\"floodhub\"}]", StandardCharsets.UTF_8);

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private static ConfigurableApplicationContext server;

	private static int port;

	private final List<Socket> stalled = new ArrayList<>();

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(FloodApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.outbound-buffer-size=16MB",
					"signalr.disconnect-timeout=2s", "signalr.close-timeout=1s", "signalr.legacy.enabled=true",
					"signalr.legacy.disconnect-timeout=2s")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
		assertThat(((WebServerApplicationContext) server).getWebServer().getClass().getSimpleName())
			.isEqualTo("TomcatWebServer");
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@AfterEach
	void closeStalled() throws IOException {
		for (Socket socket : this.stalled) {
			socket.close();
		}
	}

	@Test
	void longPollAnswersNotReadHoldNoThreadAndTheirConnectionsEndAfterTheDisconnectTimeout() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < STALLED; i++) {
			ids.add(longPollThatStopsReading());
		}
		othersKeepFlowing();
		for (Socket socket : this.stalled) {
			assertThat(readHead(socket.getInputStream())).as("each poll is being answered").startsWith("HTTP/1.1 200");
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> FloodHub.disconnected.containsAll(ids));
		for (Socket socket : this.stalled) {
			assertThat(closedByTheServer(socket)).as("the server closed the socket of an answer not read").isTrue();
		}
	}

	@Test
	void classicEventStreamsNotReadHoldNoThreadAndAreDroppedOverTheMessageBuffer() throws Exception {
		stalledClassicStreams("serverSentEvents");
	}

	@Test
	void classicForeverFramesNotReadHoldNoThreadAndAreDroppedOverTheMessageBuffer() throws Exception {
		stalledClassicStreams("foreverFrame");
	}

	@Test
	void classicLongPollAnswersNotReadHoldNoThreadAndTheirConnectionsEndAfterTheDisconnectTimeout() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < STALLED; i++) {
			ids.add(classicLongPollThatStopsReading());
		}
		othersKeepFlowing();
		await().atMost(Duration.ofSeconds(20)).until(() -> FloodHub.disconnected.containsAll(ids));
	}

	private void stalledClassicStreams(String transport) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < STALLED; i++) {
			ids.add(classicStreamThatStopsReading(transport));
		}
		othersKeepFlowing();
		for (Socket socket : this.stalled) {
			assertThat(closedByTheServer(socket)).as("the server closed the socket of a stream dropped").isTrue();
		}
		// dropped, then the reference's threshold (5 s) and the disconnect timeout (2 s)
		await().atMost(Duration.ofSeconds(30)).until(() -> FloodHub.disconnected.containsAll(ids));
	}

	/**
	 * An official Java client over long polling, whose poll answers are written by the threads a blocking
	 * write would hold: its invocations complete, and what the hub sends it arrives, within their usual time.
	 */
	private static void othersKeepFlowing() {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/flood")
			.withTransport(TransportEnum.LONG_POLLING)
			.build();
		AtomicInteger poked = new AtomicInteger();
		client.on("poked", poked::incrementAndGet);
		try {
			assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			for (int i = 0; i < 5; i++) {
				long start = System.nanoTime();
				assertThat(client.invoke(String.class, "Echo", "hi" + i)
					.timeout(USUAL.toMillis(), TimeUnit.MILLISECONDS)
					.blockingGet()).isEqualTo("hi" + i);
				client.send("Poke");
				int expected = i + 1;
				await().atMost(USUAL).until(() -> poked.get() == expected);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(USUAL);
			}
		}
		finally {
			client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * A modern long-polling client that connects, handshakes, collects the handshake's answer, then polls
	 * on a socket it never reads and asks for an 8 MB message: the poll is answered with it.
	 */
	private String longPollThatStopsReading() throws Exception {
		JsonNode negotiate = MAPPER.readTree(
				HTTP.send(HttpRequest.newBuilder(uri("/flood/negotiate?negotiateVersion=1"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString()).body());
		String path = "/flood?id=" + negotiate.get("connectionToken").asString();
		assertThat(get(path).statusCode()).isEqualTo(200);
		assertThat(post(path, "{\"protocol\":\"json\",\"version\":1}\u001e", "text/plain").statusCode())
			.isEqualTo(200);
		assertThat(get(path).body()).isEqualTo("{}\u001e");
		// held: nothing is queued
		stalledRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(post(path, "{\"type\":1,\"target\":\"Flood\",\"arguments\":[1," + ANSWER + "]}\u001e",
				"text/plain").statusCode()).isEqualTo(200);
		return negotiate.get("connectionId").asString();
	}

	/** A classic stream opened on a socket read up to its headers, then sent 16 MB in messages of 1 MB. */
	private String classicStreamThatStopsReading(String transport) throws Exception {
		JsonNode negotiate = classicNegotiate();
		String query = classicQuery(transport, negotiate) + (transport.equals("foreverFrame") ? "&frameId=1" : "");
		stalledRequest("GET /signalr/connect?" + query + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
		assertThat(readHead(this.stalled.get(this.stalled.size() - 1).getInputStream())).startsWith("HTTP/1.1 200");
		assertThat(get("/signalr/start?" + query).statusCode()).isEqualTo(200);
		classicFlood(query, 16, MB);
		return negotiate.get("ConnectionId").asString();
	}

	/** A classic long-polling client that polls on a socket it never reads, answered with an 8 MB message. */
	private String classicLongPollThatStopsReading() throws Exception {
		JsonNode negotiate = classicNegotiate();
		String query = classicQuery("longPolling", negotiate);
		HttpResponse<String> connect = post("/signalr/connect?" + query, "", "application/x-www-form-urlencoded");
		String cursor = MAPPER.readTree(connect.body()).get("C").asString();
		assertThat(get("/signalr/start?" + query).statusCode()).isEqualTo(200);
		Socket socket = stalledRequest("POST /signalr/poll?" + query + "&messageId="
				+ URLEncoder.encode(cursor, StandardCharsets.UTF_8)
				+ " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
		// the headers come at once
		assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
		classicFlood(query, 1, ANSWER);
		return negotiate.get("ConnectionId").asString();
	}

	private static JsonNode classicNegotiate() throws Exception {
		return MAPPER.readTree(get("/signalr/negotiate?clientProtocol=1.5&connectionData=" + CLASSIC_HUBS).body());
	}

	private static String classicQuery(String transport, JsonNode negotiate) {
		return "transport=" + transport + "&clientProtocol=1.5&connectionToken="
				+ URLEncoder.encode(negotiate.get("ConnectionToken").asString(), StandardCharsets.UTF_8)
				+ "&connectionData=" + CLASSIC_HUBS;
	}

	private static void classicFlood(String query, int count, int size) throws Exception {
		String invocation = "{\"H\":\"floodhub\",\"M\":\"Flood\",\"A\":[" + count + "," + size + "],\"I\":0}";
		HttpResponse<String> sent = post("/signalr/send?" + query,
				"data=" + URLEncoder.encode(invocation, StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
		assertThat(sent.statusCode()).isEqualTo(200);
	}

	/** A request on a socket with a small receive buffer, kept for the test to close. */
	private Socket stalledRequest(String request) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
		socket.setSoTimeout((int) TIMEOUT.toMillis());
		this.stalled.add(socket);
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return socket;
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String path, String body, String type) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.timeout(TIMEOUT)
			.header("Content-Type", type)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	/** The status line and headers, read a byte at a time so nothing after them is consumed. */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** Reads what the socket holds until the server's end of it (a reset counts), within the test's timeout. */
	private static boolean closedByTheServer(Socket socket) {
		byte[] buffer = new byte[64 * 1024];
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				if (socket.getInputStream().read(buffer) < 0) {
					return true;
				}
			}
			return false;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// reset by the server
			return true;
		}
	}

	/** Sends what a client asks for to it; records who left. */
	@Hub(value = "/flood", name = "FloodHub")
	public static class FloodHub {

		static final Set<String> disconnected = ConcurrentHashMap.newKeySet();

		public String echo(String message) {
			return message;
		}

		public Mono<Void> poke(HubCallerClients clients) {
			return clients.caller().send("poked");
		}

		/** {@code count} messages of {@code size} characters to the caller. */
		public Mono<Void> flood(int count, int size, HubCallerClients clients) {
			String payload = "x".repeat(size);
			return Flux.range(0, count).concatMap((i) -> clients.caller().send("flood", payload)).then();
		}

		@OnDisconnected
		public void left(HubCallerContext context) {
			disconnected.add(context.connectionId());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FloodHub.class)
	static class FloodApplication {

	}
}
