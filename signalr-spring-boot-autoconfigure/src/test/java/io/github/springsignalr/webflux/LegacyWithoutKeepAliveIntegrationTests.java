package io.github.springsignalr.webflux;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static io.github.springsignalr.webflux.LegacyHttp.common;
import static io.github.springsignalr.webflux.LegacyHttp.lines;
import static io.github.springsignalr.webflux.LegacyHttp.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic endpoint with keep-alive off ({@code signalr.legacy.keep-alive=0}): clients are told a null
 * KeepAliveTimeout, and the webSockets, serverSentEvents and foreverFrame streams end at the
 * ConnectionTimeout (2 s here) without a keep-alive, the connection living on for the client to reconnect.
 * JSONP is off (the default) here. Also: before protocol 1.4, OnConnected runs before the init message goes out.
 */
class LegacyWithoutKeepAliveIntegrationTests {

	private static final String CHAT = "[{\"name\":\"chathub\"}]";

	private static ConfigurableApplicationContext server;

	private static LegacyHttp http;

	private static LegacyChatHub hub;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(LegacyEndpointIntegrationTests.LegacyApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.legacy.enabled=true",
					"signalr.legacy.keep-alive=0s", "signalr.legacy.connection-timeout=2s",
					"signalr.legacy.disconnect-timeout=6s")
			.run();
		http = new LegacyHttp(((WebServerApplicationContext) server).getWebServer().getPort());
		hub = server.getBean(LegacyChatHub.class);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void negotiateTellsANullKeepAliveTimeout() throws Exception {
		HttpResponse<String> negotiate = http.get("/signalr/negotiate?clientProtocol=2.1");
		assertThat(negotiate.body()).contains("\"KeepAliveTimeout\":null,\"DisconnectTimeout\":6.0,");
	}

	@Test
	void serverSentEventsStreamEndsAtTheConnectionTimeoutWithoutKeepAlivesAndTheClientCanReconnect() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String id = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "2.1", CHAT);
		List<String> events = streamUntilItEnds("/signalr/connect?" + query);
		assertThat(events).hasSize(2).first().isEqualTo("data: initialized");
		String cursor = LegacyHttp.MAPPER.readTree(events.get(1).substring(6)).get("C").asString();
		http.get("/signalr/start?" + query);
		List<String> again = streamUntilItEnds("/signalr/reconnect?" + query + "&messageId=" + LegacyHttp.q(cursor));
		assertThat(again).containsExactly("data: initialized");
		assertThat(hub.reconnected).containsOnlyOnce(id);
		assertThat(hub.disconnected).noneMatch((event) -> event.startsWith(id));
		http.post("/signalr/abort?" + query, "");
	}

	@Test
	void foreverFrameStreamEndsAtTheConnectionTimeoutWithoutKeepAlives() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String query = common("foreverFrame", negotiate, "2.1", CHAT);
		List<String> lines = streamUntilItEnds("/signalr/connect?" + query + "&frameId=1");
		assertThat(lines).last().asString().matches("<script>r\\(c, \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}\\);</script>");
		assertThat(lines).noneMatch((line) -> line.contains("r(c, {})"));
		http.post("/signalr/abort?" + query, "");
	}

	@Test
	void webSocketIsClosedAtTheConnectionTimeoutWithoutKeepAlives() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String query = common("webSockets", negotiate, "2.1", CHAT);
		LegacyEndpointIntegrationTests.Frames frames = new LegacyEndpointIntegrationTests.Frames();
		long start = System.nanoTime();
		LegacyHttp.HTTP.newWebSocketBuilder()
			.buildAsync(URI.create(http.url("/signalr/connect?" + query).replace("http:", "ws:")), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).contains("\"S\":1");
		frames.closed.get(10, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		assertThat(frames.texts).isEmpty();
		http.post("/signalr/abort?" + query, "");
	}

	@Test
	void beforeProtocolOnePointFourOnConnectedHasRunWhenTheInitMessageArrives() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "1.3", CHAT);
		String id = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "1.3", CHAT);
		BlockingQueue<String> events = lines(http.stream("/signalr/connect?" + query).body());
		assertThat(next(events)).isEqualTo("data: initialized");
		assertThat(next(events)).contains("\"S\":1");
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		http.post("/signalr/abort?" + query, "");
	}

	@Test
	void jsonpIsRefusedWhenOff() throws Exception {
		HttpResponse<String> refused = http.get("/signalr/negotiate?clientProtocol=2.1&callback=cb");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).isEqualTo("Forbidden: JSONP is disabled.");
		assertThat(http.get("/signalr/ping?callback=cb").statusCode()).isEqualTo(403);
	}

	/** Reads a stream to its end, which must come after the ConnectionTimeout and within 10 s. */
	private static List<String> streamUntilItEnds(String path) throws Exception {
		long start = System.nanoTime();
		HttpResponse<InputStream> response = http.stream(path);
		assertThat(response.statusCode()).isEqualTo(200);
		BlockingQueue<String> lines = lines(response.body());
		List<String> read = new ArrayList<>();
		for (String line = next(lines); !line.equals(LegacyHttp.END); line = next(lines)) {
			read.add(line);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
		return read;
	}
}
