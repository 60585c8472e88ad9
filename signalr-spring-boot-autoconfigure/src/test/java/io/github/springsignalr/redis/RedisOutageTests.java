package io.github.springsignalr.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.HubContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes sharing a real Redis that is killed for five seconds while both nodes send to all clients
 * at a steady rate through their {@code HubContext}: every node keeps serving its own clients, sends
 * that cannot be published fail their {@code Mono} with a {@link RedisBackplaneException}, and delivery
 * across nodes resumes by itself once Redis is back on the same port, without restarting the nodes.
 * What was lost across nodes is printed: delivery across nodes is at most once. A request that needs
 * forwarding while Redis hangs or is down is answered 503 at once, and forwarded again once it is back.
 */
class RedisOutageTests {

	private static final Duration OUTAGE = Duration.ofSeconds(5);

	private static final long INTERVAL_MILLIS = 20;

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private final List<HubConnection> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@BeforeAll
	static void startServers() {
		redis = RedisServer.start();
		first = start();
		second = start();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(RedisBackplaneIntegrationTests.ChatApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.redis.enabled=true",
					"signalr.redis.url=" + redis.url())
			.run();
	}

	@AfterAll
	static void stopServers() {
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

	/** One send through a node's HubContext and what became of it. */
	private static final class Send {

		final int node;

		final String text;

		final long sentAt = System.nanoTime();

		volatile boolean published;

		volatile @org.jspecify.annotations.Nullable Throwable error;

		Send(int node, String text) {
			this.node = node;
			this.text = text;
		}

		boolean done() {
			return this.published || this.error != null;
		}

	}

	private HubConnection connect(ConfigurableApplicationContext server, Map<String, Long> received) {
		int port = ((WebServerApplicationContext) server).getWebServer().getPort();
		HubConnection client = HubConnectionBuilder.create("http://127.0.0.1:" + port + "/chat").build();
		client.on("Receive", (message) -> received.putIfAbsent(message, System.nanoTime()), String.class);
		this.clients.add(client);
		assertThat(client.start().blockingAwait(10, TimeUnit.SECONDS)).isTrue();
		return client;
	}

	@SuppressWarnings("unchecked")
	private static HubContext<RedisBackplaneIntegrationTests.ChatHub> hubContext(ConfigurableApplicationContext node) {
		return node.getBean(HubContext.class);
	}

	@Test
	void killingRedisForFiveSecondsLeavesLocalDeliveryAndCrossNodeDeliveryResumesByItself() throws Exception {
		List<Map<String, Long>> received = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
		connect(first, received.get(0));
		connect(second, received.get(1));
		List<ConfigurableApplicationContext> nodes = List.of(first, second);
		List<Send> sends = new CopyOnWriteArrayList<>();
		long[] phases = new long[3];
		Thread sender = new Thread(() -> {
			int sequence = 0;
			while (!Thread.currentThread().isInterrupted()) {
				int node = sequence % 2;
				Send send = new Send(node, "node" + node + "-" + sequence);
				sends.add(send);
				hubContext(nodes.get(node)).clients().all().send("Receive", send.text)
					.subscribe(null, (ex) -> send.error = ex, () -> send.published = true);
				sequence++;
				try {
					Thread.sleep(INTERVAL_MILLIS);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "steady-sender");
		try {
			sender.start();
			Thread.sleep(2000);
			phases[0] = System.nanoTime();
			redis.kill();
			Thread.sleep(OUTAGE.toMillis());
			phases[1] = System.nanoTime();
			redis.restart();
			// until a message sent after the restart crossed in each direction, then two more seconds
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (System.nanoTime() < deadline && (resumedAt(sends, received, 0, phases[1]) == null
					|| resumedAt(sends, received, 1, phases[1]) == null)) {
				Thread.sleep(20);
			}
			Thread.sleep(2000);
			phases[2] = System.nanoTime();
		}
		finally {
			sender.interrupt();
			sender.join(5000);
		}
		long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < settle && !sends.stream().allMatch(Send::done)) {
			Thread.sleep(20);
		}
		Thread.sleep(500);

		Long resumedFromFirst = resumedAt(sends, received, 0, phases[1]);
		Long resumedFromSecond = resumedAt(sends, received, 1, phases[1]);
		List<Send> duringOutage = sends.stream()
			.filter((send) -> send.sentAt >= phases[0] && send.sentAt < phases[1])
			.toList();
		List<Send> lostLocally = sends.stream()
			.filter((send) -> !received.get(send.node).containsKey(send.text))
			.toList();
		List<Send> lostAcross = sends.stream()
			.filter((send) -> !received.get(1 - send.node).containsKey(send.text))
			.toList();
		List<Send> failed = sends.stream().filter((send) -> send.error != null).toList();
		long lostAcrossDuringOutage = lostAcross.stream()
			.filter((send) -> send.sentAt >= phases[0] && send.sentAt < phases[1])
			.count();
		System.out.printf("Redis outage of %d ms under %d sends/s (both nodes): %d sends, %d during the outage; "
				+ "%d lost locally; %d lost across nodes (%d of them sent during the outage); %d Monos failed; "
				+ "cross-node delivery resumed %d ms (first node to second) and %d ms (second to first) after Redis "
				+ "was back%n",
				TimeUnit.NANOSECONDS.toMillis(phases[1] - phases[0]), 1000 / INTERVAL_MILLIS, sends.size(),
				duringOutage.size(), lostLocally.size(), lostAcross.size(), lostAcrossDuringOutage, failed.size(),
				millisSince(phases[1], resumedFromFirst), millisSince(phases[1], resumedFromSecond));

		assertThat(sends).as("every send completed or failed").allMatch(Send::done);
		assertThat(lostLocally).as("messages a node did not deliver to its own client").isEmpty();
		assertThat(failed).as("sends that failed").isNotEmpty().allSatisfy((send) -> {
			assertThat(send.error).isInstanceOf(RedisBackplaneException.class)
				.hasMessageStartingWith("Could not publish to Redis channel ");
			// or just before: a publish that Redis had not answered when it was killed fails too
			assertThat(send.sentAt).as("failed send of %s", send.text)
				.isBetween(phases[0] - TimeUnit.MILLISECONDS.toNanos(500), phases[2]);
		});
		assertThat(resumedFromFirst).as("cross-node delivery from the first node resumed").isNotNull();
		assertThat(resumedFromSecond).as("cross-node delivery from the second node resumed").isNotNull();
		long resumed = Math.max(resumedFromFirst, resumedFromSecond);
		assertThat(sends.stream().filter((send) -> send.sentAt > resumed))
			.as("sends after delivery resumed").isNotEmpty()
			.allSatisfy((send) -> {
				assertThat(send.published).as("%s published", send.text).isTrue();
				assertThat(received.get(1 - send.node)).as("%s crossed nodes", send.text).containsKey(send.text);
			});
		assertThat(sends.stream().filter((send) -> send.sentAt < phases[0] - TimeUnit.MILLISECONDS.toNanos(200)))
			.as("sends before the outage").allSatisfy((send) -> assertThat(received.get(1 - send.node))
				.as("%s crossed nodes", send.text).containsKey(send.text));
	}

	@Test
	void forwardedRequestsAreAnswered503AtOnceWhileTheOwnerCannotBeLookedUpAndForwardedAgainAfterwards()
			throws Exception {
		String token = negotiate(first);
		URI onSecond = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + token);
		HttpRequest.Builder handshake = HttpRequest.newBuilder(onSecond)
			.POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"json\",\"version\":1}\u001e"));

		// a Redis that hangs: the lookup is bounded
		redis.pause();
		HttpResponse<String> whilePaused;
		long pausedMillis;
		try {
			long started = System.nanoTime();
			whilePaused = send(handshake);
			pausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		}
		finally {
			redis.resume();
		}
		assertThat(whilePaused.statusCode()).isEqualTo(503);
		assertThat(whilePaused.body()).isEqualTo("The node owning the connection cannot be looked up now");
		assertThat(pausedMillis).as("ms to answer while Redis hangs").isLessThan(4000);

		// a Redis that is down: no lookup at all
		redis.kill();
		HttpResponse<String> whileDown;
		long downMillis;
		try {
			// once the node saw its connections drop (a command written just before waits for the bound)
			RedisBackplane backplane = second.getBean(RedisBackplane.class);
			long noticed = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (backplane.isConnected() && System.nanoTime() < noticed) {
				Thread.sleep(10);
			}
			long started = System.nanoTime();
			whileDown = send(handshake);
			downMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		}
		finally {
			redis.restart();
		}
		assertThat(whileDown.statusCode()).isEqualTo(503);
		assertThat(downMillis).as("ms to answer while Redis is down").isLessThan(1000);

		// Lettuce reconnects at once, and the node registers again (Redis lost the key) well before its next
		// refresh (20 s); a new connection each time: one that starts no transport is dropped after a while
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		URI again = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + negotiate(first));
		HttpResponse<String> afterwards = send(HttpRequest.newBuilder(again).GET());
		while (afterwards.statusCode() != 200 && System.nanoTime() < deadline) {
			Thread.sleep(200);
			again = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + negotiate(first));
			afterwards = send(HttpRequest.newBuilder(again).GET());
		}
		String key = "internal:node:" + first.getBean(RedisNodeDirectory.class).localNodeId();
		try (RedisClient client = RedisClient.create(redis.url());
				StatefulRedisConnection<String, String> connection = client.connect()) {
			assertThat(afterwards.statusCode()).as("forwarded once Redis is back: %s (%s is %s)", afterwards.body(),
					key, connection.sync().get(key)).isEqualTo(200);
		}
		assertThat(send(HttpRequest.newBuilder(again).DELETE()).statusCode()).isEqualTo(202);
	}

	private static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	private String negotiate(ConfigurableApplicationContext node) throws Exception {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port(node) + "/chat/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
		Matcher token = Pattern.compile("\"connectionToken\":\"([^\"]+)\"").matcher(response.body());
		assertThat(token.find()).as("token in %s", response.body()).isTrue();
		return token.group(1);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** When the first message of a node sent after {@code since} reached the other node's client. */
	private static Long resumedAt(List<Send> sends, List<Map<String, Long>> received, int node, long since) {
		return sends.stream()
			.filter((send) -> send.node == node && send.sentAt > since)
			.map((send) -> received.get(1 - node).get(send.text))
			.filter(java.util.Objects::nonNull)
			.min(Long::compare)
			.orElse(null);
	}

	private static long millisSince(long start, Long end) {
		return (end != null) ? TimeUnit.NANOSECONDS.toMillis(end - start) : -1;
	}

}
