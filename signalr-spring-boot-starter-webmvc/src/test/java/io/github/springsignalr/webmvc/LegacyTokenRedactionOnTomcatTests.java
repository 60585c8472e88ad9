package io.github.springsignalr.webmvc;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic endpoint's connection token ({@code connectionToken}) never reaches Spring MVC's DEBUG
 * request log on Tomcat, while the request still reaches its connection.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "signalr.legacy.enabled=true", "logging.level.web=debug" })
@ExtendWith(OutputCaptureExtension.class)
class LegacyTokenRedactionOnTomcatTests {

	@LocalServerPort
	private int port;

	@AfterAll
	static void restoreLogLevels() {
		LoggingSystem.get(LegacyTokenRedactionOnTomcatTests.class.getClassLoader()).setLogLevel("web", null);
	}

	@Test
	void classicConnectionTokenNeverAppearsInTheRequestLog(CapturedOutput output) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> negotiated = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/signalr/negotiate?clientProtocol=2.1"))
			.build(), HttpResponse.BodyHandlers.ofString());
		String token = JsonMapper.builder().build().readTree(negotiated.body()).get("ConnectionToken").asString();
		HttpResponse<String> connect = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/signalr/connect?transport=longPolling&connectionToken="
					+ URLEncoder.encode(token, StandardCharsets.UTF_8)))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(connect.statusCode()).isEqualTo(200);
		assertThat(connect.body()).contains("\"S\":1");
		String log = output.getAll();
		assertThat(log).contains("GET \"/signalr/connect?transport=longPolling&connectionToken=[redacted]\"");
		assertThat(log).doesNotContain(token).doesNotContain(URLEncoder.encode(token, StandardCharsets.UTF_8));
	}
}
