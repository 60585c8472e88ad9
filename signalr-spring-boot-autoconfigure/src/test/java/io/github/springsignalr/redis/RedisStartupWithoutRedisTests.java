package io.github.springsignalr.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.HubContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nodes started while their Redis is not running: they start, serve their own clients, report not
 * ready (their readiness state, with no health group configured) and, once {@code redis-server} runs on the
 * port, become ready, exchange messages and forward requests without a restart. A misconfiguration
 * still stops the startup.
 */
class RedisStartupWithoutRedisTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** Lettuce's default reconnect delay doubles up to 30 s, and this machine may be busy. */
	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<HubConnection> clients = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (HubConnection client : this.clients) {
			if (client.getConnectionState() != HubConnectionState.DISCONNECTED) {
				client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private ConfigurableApplicationContext start(String redisUrl) {
		ConfigurableApplicationContext node = new SpringApplicationBuilder(
				RedisBackplaneIntegrationTests.ChatApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.redis.enabled=true",
					"signalr.redis.url=" + redisUrl, "management.endpoint.health.probes.enabled=true")
			.run();
		this.resources.add(node);
		return node;
	}

	@Test
	void nodesStartWithoutRedisAndJoinOnceItRuns() throws Exception {
		RedisServer redis = RedisServer.notStarted();
		this.resources.add(redis);
		ConfigurableApplicationContext first = start(redis.url());
		ConfigurableApplicationContext second = start(redis.url());

		assertThat(readiness(first)).isEqualTo(503);
		assertThat(readiness(second)).isEqualTo(503);
		// a node serves its own clients meanwhile; what should reach other nodes fails at once
		BlockingQueue<String> onFirst = new LinkedBlockingQueue<>();
		BlockingQueue<String> onSecond = new LinkedBlockingQueue<>();
		connect(first, onFirst);
		connect(second, onSecond);
		assertThatThrownBy(() -> hubContext(first).clients().all().send("Receive", "while away").block(TIMEOUT))
			.isInstanceOf(RedisBackplaneException.class)
			.hasMessageContaining("not connected to Redis yet");
		assertThat(onFirst.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("while away");

		redis.restart();
		awaitReadiness(first, 200);
		awaitReadiness(second, 200);

		// the channels subscribed while away were subscribed once connected
		hubContext(second).clients().all().send("Receive", "from the second node").block(TIMEOUT);
		assertThat(onFirst.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("from the second node");
		assertThat(onSecond.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("from the second node");
		hubContext(first).clients().all().send("Receive", "from the first node").block(TIMEOUT);
		assertThat(onSecond.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("from the first node");

		// each node registered once connected: a request for a connection of the other is forwarded
		URI onTheOther = URI.create("http://127.0.0.1:" + port(second) + "/chat?id=" + negotiate(first));
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		HttpResponse<String> poll = send(HttpRequest.newBuilder(onTheOther).GET());
		while (poll.statusCode() != 200 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			poll = send(HttpRequest.newBuilder(onTheOther).GET());
		}
		assertThat(poll.statusCode()).as("forwarded: %s", poll.body()).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(onTheOther).DELETE()).statusCode()).isEqualTo(202);

		// a later outage leaves readiness alone: each node still serves its own clients
		redis.kill();
		Thread.sleep(1500);
		assertThat(readiness(first)).isEqualTo(200);
		hubContext(second).clients().all().send("Receive", "own clients only").onErrorComplete().block(TIMEOUT);
		assertThat(onSecond.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("own clients only");
	}

	@Test
	void anInvalidRedisUrlStillStopsTheStartupNamingTheProperty() {
		assertThatThrownBy(() -> start("redis://127.0.0.1:99999"))
			.hasStackTraceContaining("signalr.redis.url is not a valid Redis URL (such as redis://host:6379): "
					+ "Port out of range: 99999");
	}

	private void connect(ConfigurableApplicationContext node, BlockingQueue<String> received) {
		HubConnection client = HubConnectionBuilder.create("http://127.0.0.1:" + port(node) + "/chat").build();
		client.on("Receive", received::add, String.class);
		this.clients.add(client);
		assertThat(client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
	}

	private int readiness(ConfigurableApplicationContext node) throws Exception {
		return send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port(node) + "/actuator/health/readiness"))
			.GET()).statusCode();
	}

	private void awaitReadiness(ConfigurableApplicationContext node, int status) throws Exception {
		long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
		while (readiness(node) != status && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertThat(readiness(node)).as("readiness within %s", JOIN_TIMEOUT).isEqualTo(status);
	}

	@SuppressWarnings("unchecked")
	private static HubContext<RedisBackplaneIntegrationTests.ChatHub> hubContext(ConfigurableApplicationContext node) {
		return node.getBean(HubContext.class);
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
		return this.http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
