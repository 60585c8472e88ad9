package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.redis.RedisServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two nodes of the sample sharing a real Redis ({@code signalr.backplane=redis}), the simulator on
 * the first only: clients of the second node follow the race the first one runs. The guide's
 * {@code RedMistDashboard} on node 2 renders a table equal to node 1's state while it follows the race,
 * and the other subscriptions (control logs, in-car data, V2 patches, access codes) work on node 2 too.
 */
class TwoNodesWithRedisTests {

	private static RedisServer redis;

	private static ConfigurableApplicationContext simulatorNode;

	private static ConfigurableApplicationContext otherNode;

	@BeforeAll
	static void startRedisAndTwoNodes() throws Exception {
		redis = RedisServer.start();
		simulatorNode = node(true);
		otherNode = node(false);
	}

	private static ConfigurableApplicationContext node(boolean simulator) {
		// arguments, so that they win over application.yml (server.port: ${PORT:8080})
		return new SpringApplicationBuilder(RaceStatusApplication.class).profiles("dev")
			.run("--server.port=0", "--signalr.backplane=redis", "--signalr.redis.url=" + redis.url(),
					"--race.simulator.enabled=" + simulator, "--race.simulator.full-status-interval=3s");
	}

	@AfterAll
	static void stopNodesAndRedis() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { otherNode, simulatorNode }) {
			if (node != null) {
				node.close();
			}
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void guidesDashboardOnTheSecondNodeFollowsTheRaceOfTheFirst() throws Exception {
		NodeScript.Result result = NodeScript.run("seed-dashboard.mjs", Duration.ofSeconds(120), baseUrl(otherNode),
				"WebSockets", "json", "20", baseUrl(simulatorNode));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).containsPattern("equal to the server state \\d+ times over 20 s")
			.contains("table of 32 cars for \"Sebring 4 Hours (simulated)\" equals the server state")
			.contains("seed dashboard passed");
	}

	@Test
	void subscriptionsOnTheSecondNodeDeliverWhatTheFirstPublishes() throws Exception {
		NodeScript.Result result = NodeScript.run("hub-methods.mjs", Duration.ofSeconds(120), baseUrl(otherNode),
				baseUrl(simulatorNode));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("hub methods passed");
	}

	@Test
	void bothNodesServeTheCurrentStateOfTheSimulatorsNode() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		String token = client.send(HttpRequest.newBuilder(URI.create(baseUrl(otherNode) + "/dev/token?sub=ada"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		for (String path : List.of("/status/v2/Events/GetCurrentSessionStateJson?eventId=123",
				"/status/v2/Events/GetCurrentLegacySessionPayload?eventId=123")) {
			HttpResponse<String> simulators = get(client, baseUrl(simulatorNode) + path, token);
			HttpResponse<String> other = get(client, baseUrl(otherNode) + path, token);
			assertThat(simulators.statusCode()).isEqualTo(200);
			assertThat(other.statusCode()).as(path).isEqualTo(200);
			// the event's state, as clients load it before applying patches, on either node
			assertThat(eventId(other.body())).as(path).isEqualTo(123).isEqualTo(eventId(simulators.body()));
		}
		String unknown = "/status/v2/Events/GetCurrentSessionStateJson?eventId=999";
		assertThat(get(client, baseUrl(otherNode) + unknown, token).statusCode()).isEqualTo(404);
	}

	/** The event id of a V2 session state ({@code eventId}) or of a V1 payload ({@code e}). */
	private static int eventId(String json) {
		tools.jackson.databind.JsonNode tree = JsonMapper.builder().build().readTree(json);
		return tree.has("eventId") ? tree.get("eventId").asInt() : tree.path("e").asInt();
	}

	private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String baseUrl(ConfigurableApplicationContext node) {
		return "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
	}
}
