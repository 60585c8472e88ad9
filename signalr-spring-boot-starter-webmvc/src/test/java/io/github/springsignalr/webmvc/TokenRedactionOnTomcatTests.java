package io.github.springsignalr.webmvc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The connection token ({@code id}) and bearer token ({@code access_token}) in the query of SignalR
 * requests never reach Spring MVC's DEBUG request log on Tomcat, while the hub still gets the request.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.web=debug", "logging.level.io.github.springsignalr=debug" })
@ExtendWith(OutputCaptureExtension.class)
class TokenRedactionOnTomcatTests {

	@LocalServerPort
	private int port;

	@AfterAll
	static void restoreLogLevels() {
		LoggingSystem system = LoggingSystem.get(TokenRedactionOnTomcatTests.class.getClassLoader());
		system.setLogLevel("web", null);
		system.setLogLevel("io.github.springsignalr", null);
	}

	@Test
	void connectionAndBearerTokensInTheQueryNeverAppearInTheRequestLog(CapturedOutput output) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> negotiated = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/echo/negotiate?negotiateVersion=1"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		String token = JsonMapper.builder().build().readTree(negotiated.body()).get("connectionToken").asString();
		String bearer = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw";
		HttpResponse<String> poll = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/echo?id=" + token + "&access_token=" + bearer))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(poll.statusCode()).isEqualTo(200);
		String log = output.getAll();
		assertThat(log).contains("DispatcherServlet")
			.contains("GET \"/echo?id=[redacted]&access_token=[redacted]\"")
			.contains("POST \"/echo/negotiate?negotiateVersion=1\"");
		assertThat(log).doesNotContain(token).doesNotContain(bearer).doesNotContain("c2lnbmF0dXJl");
	}
}
