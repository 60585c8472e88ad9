package io.github.springsignalr.webflux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubRuntime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server broadcasting to a group, clients that stop reading made by hand on plain sockets (a small
 * receive buffer, nothing read after the upgrade or the stream's first bytes), and a well-behaved official
 * Java client alongside: what the slow-consumer tests share, on Reactor Netty here and on Tomcat in the
 * Spring MVC starter's tests.
 */
public final class SlowClients implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String JSON_HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}\u001e";

	private static final String JOIN_SLOW = "{\"type\":1,\"target\":\"JoinSlow\",\"arguments\":[]}\u001e";

	/** A Ping starts the client timeout: the reference starts it at the client's first Ping. */
	private static final String PING = "{\"type\":6}\u001e";

	private static final Pattern TOKEN = Pattern.compile("\"connectionToken\":\"([^\"]+)\"");

	private final ConfigurableApplicationContext server;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private volatile boolean broadcasting;

	private final Thread broadcaster;

	SlowClients(int messageBytes, String... properties) {
		this(WebApplicationType.REACTIVE, messageBytes, properties);
	}

	/**
	 * Starts the server on the given stack and its broadcaster.
	 * @param messageBytes size of each broadcast
	 * @param properties the server's properties
	 */
	public SlowClients(WebApplicationType stack, int messageBytes, String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "server.port=0";
		all[1] = "spring.main.banner-mode=off";
		all[2] = "signalr.hub.keep-alive-interval=1h";
		System.arraycopy(properties, 0, all, 3, properties.length);
		this.server = new SpringApplicationBuilder(SlowApplication.class).web(stack)
			.properties(all)
			.run();
		this.port = ((WebServerApplicationContext) this.server).getWebServer().getPort();
		SlowHub.reset();
		String payload = "x".repeat(messageBytes);
		HubContext<?> hub = this.server.getBean(HubContext.class);
		this.broadcasting = true;
		this.broadcaster = new Thread(() -> {
			while (this.broadcasting) {
				hub.clients().group("room").send("tick", payload).subscribe();
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "broadcaster");
		this.broadcaster.setDaemon(true);
		this.broadcaster.start();
	}

	public int port() {
		return this.port;
	}

	/** A raw WebSocket: upgraded and handshaken by hand, joined to the room, then never read again. */
	public Socket webSocketThatStopsReading() throws IOException {
		Socket socket = smallReceiveBuffer();
		OutputStream out = socket.getOutputStream();
		out.write(("GET /slow HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
		out.write(maskedTextFrame(JSON_HANDSHAKE));
		out.write(maskedTextFrame(JOIN_SLOW));
		out.write(maskedTextFrame(PING));
		out.flush();
		return socket;
	}

	/**
	 * A raw SSE client: negotiates, opens the event stream on a socket and reads only its headers, then
	 * sends the handshake, joins the room and pings in POSTs.
	 */
	public Socket eventStreamThatStopsReading() throws Exception {
		String token = negotiate();
		Socket socket = smallReceiveBuffer();
		socket.getOutputStream()
			.write(("GET /slow?id=" + token + " HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
		post(token, JSON_HANDSHAKE);
		post(token, JOIN_SLOW);
		post(token, PING);
		return socket;
	}

	/**
	 * A long-polling client that connects (its first poll), sends the handshake, joins the room in POSTs,
	 * and never polls again.
	 */
	public AutoCloseable longPollingClientThatStopsPolling() throws Exception {
		String token = negotiate();
		HttpResponse<String> connect = this.http.send(HttpRequest.newBuilder(uri("/slow?id=" + token)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(connect.statusCode()).isEqualTo(200);
		post(token, JSON_HANDSHAKE);
		post(token, JOIN_SLOW);
		post(token, PING);
		return () -> {
		};
	}

	private String negotiate() throws Exception {
		String negotiated = this.http
			.send(HttpRequest.newBuilder(uri("/slow/negotiate?negotiateVersion=1"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher matcher = TOKEN.matcher(negotiated);
		assertThat(matcher.find()).as(negotiated).isTrue();
		return matcher.group(1);
	}

	private void post(String token, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/slow?id=" + token))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private Socket smallReceiveBuffer() throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) TIMEOUT.toMillis());
		socket.setSoTimeout((int) TIMEOUT.toMillis());
		return socket;
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

	private static byte[] maskedTextFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		frame.write(0x80 | payload.length);
		byte[] mask = { 1, 2, 3, 4 };
		frame.write(mask, 0, 4);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/** An official Java client in the room, counting the broadcasts it receives. */
	public HubConnection readingClient(AtomicLong received) {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + this.port + "/slow").build();
		client.setKeepAliveInterval(500);
		client.on("tick", (text) -> received.incrementAndGet(), String.class);
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(client.invoke("Join").blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		return client;
	}

	/** The connection id of the slow client, once it has joined. */
	public String awaitSlowJoined() throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (SlowHub.slow.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		String id = SlowHub.slow.peek();
		assertThat(id).as("slow client joined").isNotNull();
		return id;
	}

	/** The connection ids of the slow clients that have joined. */
	public List<String> slowJoined() {
		return List.copyOf(SlowHub.slow);
	}

	/** The simple name of the server's web server class ({@code TomcatWebServer}, {@code NettyWebServer}). */
	public String webServer() {
		return ((WebServerApplicationContext) this.server).getWebServer().getClass().getSimpleName();
	}

	/** Why {@code OnDisconnected} ran for the connection, or {@code null} while it has not. */
	public @Nullable Throwable disconnected(String connectionId) {
		Throwable cause = SlowHub.disconnected.get(connectionId);
		return (cause == SlowHub.NO_CAUSE) ? null : cause;
	}

	public boolean hasDisconnected(String connectionId) {
		return SlowHub.disconnected.containsKey(connectionId);
	}

	public DefaultHubLifetimeManager lifetime() {
		return (DefaultHubLifetimeManager) this.server.getBean(HubRuntime.class).lifetimeManager(SlowHub.class);
	}

	public double counter(String name, String... tags) {
		Counter counter = this.server.getBean(MeterRegistry.class)
			.find(name)
			.tags("signalr.hub", "SlowHub")
			.tags(tags)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Override
	public void close() {
		this.broadcasting = false;
		try {
			this.broadcaster.join(TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.server.close();
	}

	/** The room everyone joins; the slow client also joins a group of its own. */
	@Hub("/slow")
	public static class SlowHub {

		static final Throwable NO_CAUSE = new Throwable("none");

		static final Queue<String> slow = new ConcurrentLinkedQueue<>();

		static final Map<String, Throwable> disconnected = new ConcurrentHashMap<>();

		public static void reset() {
			slow.clear();
			disconnected.clear();
		}

		public Mono<Void> join(HubCallerContext context, GroupManager groups) {
			return groups.addToGroup(context.connectionId(), "room");
		}

		public Mono<Void> joinSlow(HubCallerContext context, GroupManager groups) {
			return groups.addToGroup(context.connectionId(), "slow-" + context.connectionId())
				.then(groups.addToGroup(context.connectionId(), "room"))
				.then(Mono.fromRunnable(() -> slow.add(context.connectionId())));
		}

		@OnDisconnected
		public void left(HubCallerContext context, @Nullable Throwable cause) {
			disconnected.put(context.connectionId(), (cause != null) ? cause : NO_CAUSE);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SlowHub.class)
	public static class SlowApplication {

	}
}
