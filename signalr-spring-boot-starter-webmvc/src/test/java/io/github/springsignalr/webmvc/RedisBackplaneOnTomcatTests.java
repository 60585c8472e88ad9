package io.github.springsignalr.webmvc;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.redis.RedisBackplane;
import io.github.springsignalr.redis.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Spring MVC nodes on Tomcat share one Redis backplane: a broadcast sent through one node reaches the
 * clients of both, and a client whose transport requests reach the node that does not own its connection
 * (no sticky sessions) is served through it by the owner; an event stream relayed that way whose client
 * goes away ends on both nodes without a line in their logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisBackplaneOnTomcatTests {

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		first = startNode();
		second = startNode();
	}

	private static ConfigurableApplicationContext startNode() {
		return new SpringApplicationBuilder(TomcatHubApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--signalr.backplane=redis", "--signalr.redis.url=" + redis.url());
	}

	@AfterAll
	static void stopNodes() {
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

	@Test
	void broadcastThroughOneNodeReachesTheClientsOfBoth() {
		assertThat(first.getBean(RedisBackplane.class)).isNotNull();
		HubConnection onFirst = connect(first);
		HubConnection onSecond = connect(second);
		List<String> firstGot = new CopyOnWriteArrayList<>();
		List<String> secondGot = new CopyOnWriteArrayList<>();
		onFirst.on("Broadcast", firstGot::add, String.class);
		onSecond.on("Broadcast", secondGot::add, String.class);
		try {
			onFirst.start().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.start().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.invoke("Broadcast", "across nodes").blockingAwait(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(firstGot).containsExactly("across nodes"));
			assertThat(secondGot).containsExactly("across nodes");
		}
		finally {
			onFirst.stop().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TransportEnum.class, names = { "LONG_POLLING", "WEBSOCKETS" })
	void clientWhoseTransportRequestsGoToTheOtherNodeIsServedByItsConnectionsOwner(TransportEnum transport) {
		long before = first.getBean(RequestForwardingServletFilter.class).forwardedCount();
		HubConnection crossing = crossing(transport);
		HubConnection onSecond = connect(second);
		List<String> crossingGot = new CopyOnWriteArrayList<>();
		List<String> secondGot = new CopyOnWriteArrayList<>();
		crossing.on("Broadcast", crossingGot::add, String.class);
		onSecond.on("Broadcast", secondGot::add, String.class);
		try {
			assertThat(crossing.start().blockingAwait(10, TimeUnit.SECONDS)).isTrue();
			onSecond.start().blockingAwait(10, TimeUnit.SECONDS);
			assertThat(crossing.invoke(String.class, "Echo", "through the first node").blockingGet())
				.isEqualTo("through the first node");
			crossing.invoke("Broadcast", "from the crossing client").blockingAwait(10, TimeUnit.SECONDS);
			onSecond.invoke("Broadcast", "from the second node").blockingAwait(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(crossingGot)
				.containsExactly("from the crossing client", "from the second node"));
			assertThat(secondGot).containsExactly("from the crossing client", "from the second node");
			assertThat(first.getBean(RequestForwardingServletFilter.class).forwardedCount() - before)
				.as("requests the first node forwarded to the second").isPositive();
		}
		finally {
			crossing.stop().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
				first.getBean(ConnectionManager.class).count() + second.getBean(ConnectionManager.class).count())
			.isZero());
	}

	@Test
	void eventStreamRelayedByTheOtherNodeEndsQuietlyWhenItsClientGoesAway(CapturedOutput output) throws Exception {
		int relayPort = ((WebServerApplicationContext) first).getWebServer().getPort();
		for (int i = 0; i < 5; i++) {
			String token = negotiate(second);
			try (Socket client = new Socket("127.0.0.1", relayPort)) {
				client.setSoTimeout(10_000);
				client.getOutputStream().write(("GET /echo?id=" + token + " HTTP/1.1\r\nHost: localhost\r\n"
						+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				String head = readUntilTheStreamsOpeningComment(client.getInputStream());
				assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");
				assertThat(second.getBean(ConnectionManager.class).get(token)).as("the stream's connection").isNotNull();
				// the client goes away at once (a reset): the relay learns it when the owner's next probe comes
				client.setSoLinger(true, 0);
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(second.getBean(ConnectionManager.class).get(token))
					.as("the connection of the dropped stream on its owner").isNull());
		}
		Thread.sleep(500);
		// a request the relay left to the container ended in its error page, written on the event stream's head
		assertThat(output.getOut()).doesNotContain("DefaultHandlerExceptionResolver");
	}

	private static String readUntilTheStreamsOpeningComment(InputStream in) throws Exception {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			assertThat(b).as("the stream's head and opening comment before the end").isNotNegative();
			read.write(b);
			String text = read.toString(StandardCharsets.US_ASCII);
			int body = text.indexOf("\r\n\r\n");
			if (body >= 0 && text.indexOf(":\r\n", body) >= 0) {
				return text;
			}
		}
	}

	private static String negotiate(ConfigurableApplicationContext node) throws Exception {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		Matcher token = Pattern.compile("\"connectionToken\":\"([^\"]+)\"").matcher(response.body());
		assertThat(token.find()).as(response.body()).isTrue();
		return token.group(1);
	}

	/** A client that negotiates with the second node and sends every other request to the first. */
	private static HubConnection crossing(TransportEnum transport) {
		int negotiatePort = ((WebServerApplicationContext) second).getWebServer().getPort();
		int transportPort = ((WebServerApplicationContext) first).getWebServer().getPort();
		return HubConnectionBuilder.create("http://localhost:" + negotiatePort + "/echo")
			.withTransport(transport)
			.setHttpClientBuilderCallback((builder) -> builder.addInterceptor((chain) -> {
				Request request = chain.request();
				int port = request.url().encodedPath().endsWith("/negotiate") ? negotiatePort : transportPort;
				return chain.proceed(request.newBuilder().url(request.url().newBuilder().port(port).build()).build());
			}))
			.build();
	}

	private static HubConnection connect(ConfigurableApplicationContext node) {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return HubConnectionBuilder.create("http://localhost:" + port + "/echo").withTransport(TransportEnum.WEBSOCKETS).build();
	}
}
