package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.springsignalr.test.AutoConfigureHubTester;
import io.github.springsignalr.test.HubTestConnection;
import io.github.springsignalr.test.HubTester;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The status hub's access rules through {@link HubTester}, with a bearer token from the dev profile's
 * {@code /dev/token}: anonymous clients are refused, a private event needs its access code (an optional
 * trailing argument), and a control-log subscription gets the full log first.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "race.simulator.speed=5")
@ActiveProfiles("dev")
@AutoConfigureHubTester
class StatusHubTests {

	private static final String HUB = "/status/event-status";

	private static final String REFUSED = "An unexpected error occurred invoking '%s' on the server. HubException: %s";

	@Autowired
	private HubTester hubTester;

	@LocalServerPort
	private int port;

	@Test
	void privateEventsNeedTheirAccessCodeAndControlLogsStartWithTheFullLog() throws Exception {
		try (HubTestConnection status = this.hubTester.withBearerToken(devToken("ada")).connect(HUB)) {
			status.invoke("SubscribeToControlLogs", 124).expectError(REFUSED.formatted("SubscribeToControlLogs",
					"Access code required or invalid for this event."));
			status.invoke("SubscribeToEventV2", 999)
				.expectError(REFUSED.formatted("SubscribeToEventV2", "Event 999 is not running."));

			status.invoke("SubscribeToControlLogs", 124, "pit-lane").expectCompletion();
			JsonNode log = status.expectCall("ReceiveControlLog").argument(0, JsonNode.class);
			assertThat(log.path("cn").asString()).isEmpty();
			assertThat(log.path("entries").isArray()).isTrue();
		}
	}

	@Test
	void anonymousClientsAreRefused() {
		assertThatThrownBy(() -> this.hubTester.connect(HUB)).hasMessageContaining("answered 401");
	}

	private String devToken(String subject) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/dev/token?sub=" + subject))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
	}
}
