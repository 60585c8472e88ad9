package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The operator view of the race sample: the page at {@code /ops.html} is open, the {@code signalr}
 * Actuator endpoint it reads answers only an operator with a bearer token, and health stays open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "race.simulator.speed=5", "race.simulator.full-status-interval=3s" })
@ActiveProfiles("dev")
class OpsViewTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@LocalServerPort
	private int port;

	@Test
	void servesTheOperatorViewThatReadsTheActuator() throws Exception {
		HttpResponse<String> page = get("/ops.html", null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<meta name=\"signalr-actuator\" content=\"/actuator\">")
			.contains("SignalR · operator view");
	}

	@Test
	void signalrEndpointAnswersAnOperatorWithATokenOnly() throws Exception {
		assertThat(get("/actuator/signalr", null).statusCode()).isEqualTo(401);
		String token = this.client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dev/token?sub=operator"))
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		HttpResponse<String> endpoint = get("/actuator/signalr", token);
		assertThat(endpoint.statusCode()).isEqualTo(200);
		assertThat(endpoint.body()).contains("\"StatusHub\"")
			.contains("\"path\":\"/status/event-status\"")
			.contains("\"connectionsByTransport\"")
			.contains("\"messages\":{\"received\":");
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(TIMEOUT);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String baseUrl() {
		return "http://localhost:" + this.port;
	}
}
