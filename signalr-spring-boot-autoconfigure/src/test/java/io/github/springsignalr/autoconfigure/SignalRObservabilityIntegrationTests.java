package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.reactivex.rxjava3.core.Completable;
import org.junit.jupiter.api.AfterAll;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real server with Micrometer, observations and Actuator, and the official Java client: the meters,
 * the invocation observation and the {@code signalr} endpoint as an operator sees them.
 */
class SignalRObservabilityIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static ConfigurableApplicationContext server;

	private static MeterRegistry meters;

	private static int port;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(ObservedApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"management.endpoints.web.exposure.include=health,signalr,metrics",
					"signalr.hub.keep-alive-interval=1h", "signalr.ops-view.enabled=true")
			.run();
		meters = server.getBean(MeterRegistry.class);
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	private static HubConnection connect() {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/observed").build();
		// no keep-alive pings during the test: the counts below are what the client sends
		client.setKeepAliveInterval(TimeUnit.HOURS.toMillis(1));
		complete(client.start());
		return client;
	}

	private static void complete(Completable completable) {
		assertThat(completable.blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("completed within %s", TIMEOUT)
			.isTrue();
	}

	private static double activeConnections() {
		Gauge gauge = meters.find("signalr.server.active_connections")
			.tags("signalr.hub", "ObservedHub", "signalr.transport", "web_sockets")
			.gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	/** The count of a counter or timer of the hub, 0 before it exists. */
	private static double count(String name, String... tags) {
		Search search = meters.find(name).tags("signalr.hub", "ObservedHub").tags(tags);
		Counter counter = search.counter();
		if (counter != null) {
			return counter.count();
		}
		Timer timer = search.timer();
		return (timer != null) ? timer.count() : 0;
	}

	/** Each test starts when the clients of the previous one are gone on the server too. */
	@BeforeEach
	void noConnections() {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(activeConnections()).isZero());
	}

	@Test
	void metersFollowAClientThroughConnectInvokeAndDisconnect() {
		String[] json = { "signalr.transport", "web_sockets", "signalr.protocol", "json" };
		String[] normalClosure = { "signalr.transport", "web_sockets", "signalr.connection.status", "normal_closure" };
		String[] echoSucceeded = { "signalr.method", "Echo", "outcome", "SUCCESS" };
		double received = count("signalr.server.messages.received", json);
		double sent = count("signalr.server.messages.sent", json);
		double receivedBytes = count("signalr.server.messages.received.bytes", json);
		double sentBytes = count("signalr.server.messages.sent.bytes", json);
		double closed = count("signalr.server.connection.duration", normalClosure);
		double invocations = count("signalr.server.invocation", echoSucceeded);

		HubConnection client = connect();
		String connectionId = client.getConnectionId();
		try {
			assertThat(activeConnections()).isEqualTo(1.0);

			String echoed = client.invoke(String.class, "Echo", "hi").blockingGet();
			assertThat(echoed).isEqualTo("hi");

			// the invocation, and perhaps a Ping: the Java client's keep-alive timer may send one right after
			// its handshake or only after its 15 s interval (a race of its own), before or after the invocation
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(count("signalr.server.messages.received", json))
				.isGreaterThanOrEqualTo(received + 1));
			assertThat(count("signalr.server.messages.received", json)).isBetween(received + 1, received + 2);
			assertThat(count("signalr.server.messages.sent", json)).isEqualTo(sent + 1);
			// {"type":1,"invocationId":"..","target":"Echo","arguments":["hi"]} and {"type":3,..,"result":"hi"}
			assertThat(count("signalr.server.messages.received.bytes", json)).isGreaterThan(receivedBytes + 40);
			assertThat(count("signalr.server.messages.sent.bytes", json)).isGreaterThan(sentBytes + 30);
			assertThat(count("signalr.server.invocation", echoSucceeded)).isEqualTo(invocations + 1);
		}
		finally {
			complete(client.stop());
		}

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(activeConnections()).isZero());
		assertThat(count("signalr.server.connection.duration", normalClosure)).isEqualTo(closed + 1);
		assertThat(meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.noneMatch((tag) -> tag.getValue().equals(connectionId)));
	}

	@Test
	void endpointCountsConnectionsAndGroupsWithoutIds() {
		HubConnection client = connect();
		try {
			complete(client.invoke("Join", "room-secret"));
			String id = client.getConnectionId();

			String body = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + port)
				.build()
				.get()
				.uri("/actuator/signalr")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			DocumentContext json = JsonPath.parse(body);
			assertThat(json.<String>read("$.hubs.ObservedHub.path")).isEqualTo("/observed");
			assertThat(json.<List<String>>read("$.hubs.ObservedHub.transports")).contains("WebSockets");
			assertThat(json.<List<String>>read("$.hubs.ObservedHub.protocols")).contains("json");
			assertThat(json.<Integer>read("$.hubs.ObservedHub.connections")).isEqualTo(1);
			assertThat(json.<Integer>read("$.hubs.ObservedHub.connectionsByTransport.WebSockets")).isEqualTo(1);
			assertThat(json.<Integer>read("$.hubs.ObservedHub.connectionsByProtocol.json")).isEqualTo(1);
			assertThat(json.<Integer>read("$.hubs.ObservedHub.groups")).isEqualTo(1);
			// at least this client's ping and invocation; the one completion it got
			assertThat(json.<Number>read("$.hubs.ObservedHub.messages.received").longValue()).isGreaterThanOrEqualTo(2);
			assertThat(json.<Number>read("$.hubs.ObservedHub.messages.sent").longValue()).isPositive();
			assertThat(json.<Number>read("$.hubs.ObservedHub.messages.receivedBytes").longValue()).isPositive();
			assertThat(body).doesNotContain(id).doesNotContain("room-secret");
		}
		finally {
			complete(client.stop());
		}
	}

	@Test
	void servesTheOperatorViewPointingAtTheActuator() {
		String page = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.build()
			.get()
			.uri("/ops.html")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/html")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<meta name=\"signalr-actuator\" content=\"/actuator\">")
			.doesNotContain("{{actuator}}");
	}

	/** Echoes and joins groups. */
	@Hub("/observed")
	static class ObservedHub {

		public String echo(String text) {
			return text;
		}

		public Mono<Void> join(String group, HubCallerContext context, GroupManager groups) {
			return groups.addToGroup(context.connectionId(), group);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ObservedHub.class)
	static class ObservedApplication {

	}
}
