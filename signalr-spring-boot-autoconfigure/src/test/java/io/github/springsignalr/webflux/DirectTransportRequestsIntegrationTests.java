package io.github.springsignalr.webflux;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.Hub;
import tools.jackson.databind.json.JsonMapper;

/**
 * The POSTs and later polls of an open connection served on Reactor Netty ahead of WebFlux
 * ({@link DirectTransportRequests}) when nothing in WebFlux's chain acts on them: the answers on the wire are
 * WebFlux's own, a real client works over them, and as soon as the application has a filter of its own
 * every request goes through WebFlux again, where the filter sees it.
 */
class DirectTransportRequestsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String RS = "\u001e";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	/** No request observations: the test classpath has Actuator, whose observations need WebFlux's chain. */
	private static final String NO_OBSERVATIONS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration";

	@Test
	@Timeout(120)
	void longPollingPostsAndPollsGetWebFluxsAnswersWhenServedDirectly() throws Exception {
		try (ConfigurableApplicationContext server = start(EchoApplication.class)) {
			assertThat(server.getBean(DirectTransportRequests.class).active()).isTrue();
			int port = port(server);
			String connection = "/echo?id=" + negotiate(port);
			// the first poll opens the connection (through WebFlux), at once and empty
			assertThat(get(port, connection).statusCode()).isEqualTo(200);

			HttpResponse<String> post = post(port, connection, "{\"protocol\":\"json\",\"version\":1}" + RS);
			assertThat(post.statusCode()).isEqualTo(200);
			assertThat(post.headers().firstValue("Content-Type")).hasValue("text/plain");
			assertThat(post.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
			assertThat(post.headers().firstValue("Content-Length")).hasValue("0");
			assertThat(post.body()).isEmpty();
			HttpResponse<String> handshake = get(port, connection);
			assertThat(handshake.statusCode()).isEqualTo(200);
			assertThat(handshake.body()).isEqualTo("{}" + RS);

			// two invocations in one POST: both results wait for the next poll, which takes them in one body
			assertThat(post(port, connection, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"a\"]}"
					+ RS + "{\"type\":1,\"invocationId\":\"2\",\"target\":\"Echo\",\"arguments\":[\"b\"]}" + RS)
				.statusCode()).isEqualTo(200);
			String expected = "{\"type\":3,\"invocationId\":\"1\",\"result\":\"a\"}" + RS
					+ "{\"type\":3,\"invocationId\":\"2\",\"result\":\"b\"}" + RS;
			StringBuilder received = new StringBuilder();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			HttpResponse<String> poll = null;
			while (received.length() < expected.length() && System.nanoTime() < deadline) {
				poll = get(port, connection);
				assertThat(poll.statusCode()).isEqualTo(200);
				received.append(poll.body());
			}
			assertThat(received.toString()).isEqualTo(expected);
			assertThat(poll.headers().firstValue("Content-Type")).hasValue("text/plain");
			assertThat(poll.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
			assertThat(poll.headers().firstValue("Content-Length")).hasValue(Integer.toString(poll.body().length()));

			assertThat(delete(port, connection)).isEqualTo(202);
			HttpResponse<String> gone = post(port, connection, "{\"type\":6}" + RS);
			assertThat(gone.statusCode()).isEqualTo(404);
			assertThat(gone.headers().firstValue("Content-Type")).hasValue("text/plain");
			assertThat(gone.body()).isEqualTo("No Connection with that ID");
		}
	}

	@Test
	@Timeout(120)
	void serverSentEventsPostsAreServedDirectlyAndTheirRepliesArriveAsEvents() throws Exception {
		try (ConfigurableApplicationContext server = start(EchoApplication.class)) {
			assertThat(server.getBean(DirectTransportRequests.class).active()).isTrue();
			int port = port(server);
			String connection = "/echo?id=" + negotiate(port);
			HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(uri(port, connection))
				.header("Accept", "text/event-stream")
				.timeout(TIMEOUT)
				.build(), HttpResponse.BodyHandlers.ofInputStream());
			assertThat(events.statusCode()).isEqualTo(200);
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
				assertThat(reader.readLine()).isEqualTo(":");
				HttpResponse<String> post = post(port, connection, "{\"protocol\":\"json\",\"version\":1}" + RS);
				assertThat(post.statusCode()).isEqualTo(200);
				assertThat(post.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
				assertThat(reader.readLine()).isEqualTo("data: {}" + RS);
				assertThat(reader.readLine()).isEmpty();
				assertThat(post(port, connection,
						"{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"a\"]}" + RS)
					.statusCode()).isEqualTo(200);
				assertThat(reader.readLine()).isEqualTo("data: {\"type\":3,\"invocationId\":\"1\",\"result\":\"a\"}" + RS);
			}
		}
	}

	@Test
	@Timeout(120)
	void theJavaClientTalksOverLongPollingServedDirectly() throws Exception {
		try (ConfigurableApplicationContext server = start(EchoApplication.class)) {
			assertThat(server.getBean(DirectTransportRequests.class).active()).isTrue();
			HubConnection client = HubConnectionBuilder.create("http://localhost:" + port(server) + "/echo")
				.withTransport(TransportEnum.LONG_POLLING)
				.build();
			client.start().blockingAwait();
			try {
				for (int i = 0; i < 20; i++) {
					assertThat(client.invoke(String.class, "Echo", "message " + i).blockingGet())
						.isEqualTo("message " + i);
				}
			}
			finally {
				client.stop().blockingAwait();
			}
		}
	}

	@Test
	@Timeout(120)
	void anApplicationFilterSeesEveryPostAndPoll() throws Exception {
		try (ConfigurableApplicationContext server = start(FilteredApplication.class)) {
			assertThat(server.getBean(DirectTransportRequests.class).active()).isFalse();
			int port = port(server);
			String connection = "/echo?id=" + negotiate(port);
			assertThat(get(port, connection).statusCode()).isEqualTo(200);
			HttpResponse<String> post = post(port, connection, "{\"protocol\":\"json\",\"version\":1}" + RS);
			assertThat(post.statusCode()).isEqualTo(200);
			assertThat(post.headers().firstValue("X-Filtered")).hasValue("yes");
			HttpResponse<String> poll = get(port, connection);
			assertThat(poll.body()).isEqualTo("{}" + RS);
			assertThat(poll.headers().firstValue("X-Filtered")).hasValue("yes");
			assertThat(FilteredApplication.SEEN).contains("POST /echo", "GET /echo");
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.hub.keep-alive-interval=1h",
					NO_OBSERVATIONS)
			.run();
	}

	private static int port(ConfigurableApplicationContext server) {
		return ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	private static URI uri(int port, String pathAndQuery) {
		return URI.create("http://localhost:" + port + pathAndQuery);
	}

	private static String negotiate(int port) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(port, "/echo/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body()).get("connectionToken").asString();
	}

	private static HttpResponse<String> post(int port, String connection, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(port, connection))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(int port, String connection) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(port, connection)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static int delete(int port, String connection) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(port, connection)).DELETE().timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@Hub("/echo")
	static class EchoHub {

		public String echo(String message) {
			return message;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoHub.class)
	static class EchoApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoHub.class)
	static class FilteredApplication {

		static final List<String> SEEN = new CopyOnWriteArrayList<>();

		@Bean
		WebFilter marking() {
			return (exchange, chain) -> {
				SEEN.add(exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath());
				exchange.getResponse().getHeaders().set("X-Filtered", "yes");
				return chain.filter(exchange);
			};
		}
	}
}
