package io.github.springsignalr.webmvc;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application on Jetty instead of Tomcat: the Java client connects over WebSockets (Jetty's
 * Jakarta WebSocket implementation) and long polling, invokes, streams and receives a push; a raw client
 * does the same over Server-Sent Events.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration")
class JettySmokeTests {

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@ParameterizedTest
	@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
	void javaClientInvokesStreamsAndReceivesPushesOnJetty(TransportEnum transport) {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("JettyServletWebServer");
		HubConnection connection = HubConnectionBuilder.create("http://localhost:" + this.port + "/echo")
			.withTransport(transport)
			.build();
		CompletableFuture<String> you = new CompletableFuture<>();
		connection.on("You", you::complete, String.class);
		connection.start().blockingAwait(10, TimeUnit.SECONDS);
		try {
			assertThat(connection.invoke(String.class, "Echo", "on jetty").blockingGet()).isEqualTo("on jetty");
			connection.send("WhoAmI");
			assertThat(you.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(connection.getConnectionId());
			List<Integer> counted = connection.stream(Integer.class, "Count", 5).toList().blockingGet();
			assertThat(counted).containsExactly(1, 2, 3, 4, 5);
		}
		finally {
			connection.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
	}

	/** Server-Sent Events written with Jetty's non-blocking servlet output, the client's data in POSTs. */
	@Test
	void serverSentEventsCarryAnInvocationAndItsCompletionOnJetty() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String base = "http://localhost:" + this.port + "/echo";
		String negotiated = http.send(HttpRequest.newBuilder(URI.create(base + "/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		String token = JsonMapper.builder().build().readTree(negotiated).get("connectionToken").asString();
		HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "?id=" + token))
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			assertThat(events.readLine()).isEqualTo(":");
			post(http, base + "?id=" + token, "{\"protocol\":\"json\",\"version\":1}\u001e");
			assertThat(events.readLine()).isEqualTo("data: {}\u001e");
			assertThat(events.readLine()).isEqualTo("");
			post(http, base + "?id=" + token,
					"{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"over SSE\"]}\u001e");
			String completion = events.readLine();
			assertThat(completion).startsWith("data: ").endsWith("\u001e");
			JsonNode json = JsonMapper.builder().build().readTree(completion.substring(6, completion.length() - 1));
			assertThat(json.get("type").asInt()).isEqualTo(3);
			assertThat(json.get("result").asString()).isEqualTo("over SSE");
		}
	}

	private static void post(HttpClient http, String uri, String body) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}
}
