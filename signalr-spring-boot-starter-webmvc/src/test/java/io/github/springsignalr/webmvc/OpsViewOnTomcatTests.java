package io.github.springsignalr.webmvc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code signalr} Actuator endpoint and the operator view of a Spring MVC application on Tomcat, as on
 * WebFlux: the endpoint describes the hub and its live connection, the page is served and points at the
 * Actuator.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=signalr", "signalr.ops-view.enabled=true" })
class OpsViewOnTomcatTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void actuatorEndpointDescribesTheHubAndItsConnectionsOnTomcat() throws Exception {
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + this.port + "/echo").build();
		assertThat(client.start().blockingAwait(10, TimeUnit.SECONDS)).isTrue();
		try {
			assertThat(client.invoke(String.class, "Echo", "counted").blockingGet()).isEqualTo("counted");
			HttpResponse<String> response = get("/actuator/signalr");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext json = JsonPath.parse(response.body());
			assertThat(json.<String>read("$.hubs.EchoHub.path")).isEqualTo("/echo");
			assertThat(json.<List<String>>read("$.hubs.EchoHub.transports")).contains("WebSockets",
					"ServerSentEvents", "LongPolling");
			assertThat(json.<Integer>read("$.hubs.EchoHub.connections")).isEqualTo(1);
			assertThat(json.<Integer>read("$.hubs.EchoHub.connectionsByTransport.WebSockets")).isEqualTo(1);
			assertThat(json.<Integer>read("$.hubs.EchoHub.connectionsByProtocol.json")).isEqualTo(1);
			assertThat(json.<Number>read("$.hubs.EchoHub.messages.received").longValue()).isGreaterThanOrEqualTo(1);
			assertThat(json.<Number>read("$.hubs.EchoHub.messages.sent").longValue()).isPositive();
			assertThat(response.body()).doesNotContain(client.getConnectionId());
		}
		finally {
			client.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void servesTheOperatorViewPointingAtTheActuatorOnTomcat() throws Exception {
		HttpResponse<String> response = get("/ops.html");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.body()).contains("<meta name=\"signalr-actuator\" content=\"/actuator\">")
			.doesNotContain("{{actuator}}");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}
}
