package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The sample with the RedMist guide's client code and the official JavaScript client: the guide's
 * {@code RedMistDashboard}, unmodified, renders a table from the gzip+base64 full status and the JSON
 * patches that equals the server's state, checked every 5 seconds while it follows the race (a minute on
 * WebSockets with JSON, 10 seconds on the other transports and protocols); the hub refuses clients
 * without a token; the other subscriptions deliver to their groups. Full statuses go out every 3 seconds,
 * so that a run sees the one on subscribe, a periodic one and many patches.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "race.simulator.speed=5", "race.simulator.full-status-interval=3s" })
@ActiveProfiles("dev")
class StatusHubIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0} {1} for {2} s")
	@CsvSource({ "WebSockets, json, 60", "WebSocketsSkipNegotiation, json, 10", "ServerSentEvents, json, 10",
			"LongPolling, json, 10", "WebSockets, messagepack, 10", "LongPolling, messagepack, 10" })
	void guidesDashboardStaysEqualToTheServersStateFromFullStatusAndPatches(String transport, String protocol,
			int seconds) throws Exception {
		NodeScript.Result result = NodeScript.run("seed-dashboard.mjs", Duration.ofSeconds(90 + seconds), baseUrl(),
				transport, protocol, Integer.toString(seconds));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("no token: ")
			.containsPattern("equal to the server state \\d+ times over " + seconds + " s")
			.contains("table of 32 cars for \"Sebring 4 Hours (simulated)\" equals the server state")
			.contains("seed dashboard passed");
	}

	@Test
	void subscriptionsDeliverControlLogsInCarDataAndV2PatchesWithOptionalAccessCodes() throws Exception {
		NodeScript.Result result = NodeScript.run("hub-methods.mjs", Duration.ofSeconds(120), baseUrl());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("hub methods passed");
	}

	@Test
	void negotiateWithoutTokenOrWithForgedTokenIsUnauthorized() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		HttpResponse<String> anonymous = client.send(negotiate().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		String forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJlLW9mLWFub3RoZXIta2V5LTAxMjM0NTY3";
		HttpResponse<String> bad = client.send(negotiate().header("Authorization", "Bearer " + forged).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(bad.statusCode()).isEqualTo(401);
		String token = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dev/token?sub=ada"))
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		HttpResponse<String> good = client.send(negotiate().header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(good.statusCode()).isEqualTo(200);
		assertThat(good.body()).contains("\"WebSockets\"").contains("\"ServerSentEvents\"").contains("\"LongPolling\"");
	}

	/** Tokens signed with the dev profile's key, as /dev/token signs them but for the claims left out. */
	@Test
	void negotiateWithTokenWithoutExpirationOrSubjectIsUnauthorized() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		Instant now = Instant.now();
		JWTClaimsSet withoutExpiration = new JWTClaimsSet.Builder().issuer("sample-race-status")
			.subject("mallory")
			.issueTime(Date.from(now))
			.build();
		JWTClaimsSet withoutSubject = new JWTClaimsSet.Builder().issuer("sample-race-status")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.build();
		JWTClaimsSet valid = new JWTClaimsSet.Builder().issuer("sample-race-status")
			.subject("ada")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.build();
		for (JWTClaimsSet claims : List.of(withoutExpiration, withoutSubject)) {
			HttpResponse<String> refused = client.send(
					negotiate().header("Authorization", "Bearer " + devSigned(claims)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).as("%s", claims).isEqualTo(401);
		}
		HttpResponse<String> accepted = client.send(
				negotiate().header("Authorization", "Bearer " + devSigned(valid)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(accepted.statusCode()).isEqualTo(200);
	}

	private static String devSigned(JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner("dev-only-secret-of-the-race-status-sample".getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

	@Test
	void timingEndpointsNeedAToken() throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		HttpResponse<String> response = client.send(HttpRequest
			.newBuilder(URI.create(baseUrl() + "/status/v2/Events/GetCurrentLegacySessionPayload?eventId=123"))
			.timeout(TIMEOUT)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
	}

	private HttpRequest.Builder negotiate() {
		return HttpRequest.newBuilder(URI.create(baseUrl() + "/status/event-status/negotiate?negotiateVersion=1"))
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody());
	}

	private String baseUrl() {
		return "http://localhost:" + this.port;
	}
}
