package io.github.springsignalr.webflux;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import static io.github.springsignalr.webflux.LegacyHttp.common;
import static io.github.springsignalr.webflux.LegacyHttp.lines;
import static io.github.springsignalr.webflux.LegacyHttp.message;
import static io.github.springsignalr.webflux.LegacyHttp.next;
import static io.github.springsignalr.webflux.LegacyHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw {@code @ConnectionMapping("/echo")} handler served to classic clients as a persistent connection
 * (contract §9) at its own path, beside its ASP.NET Core clients, driven by hand over raw HTTP and
 * WebSocket.
 */
class LegacyPersistentConnectionIntegrationTests {

	private static final String SSE_KEEP_ALIVE = "data: {}";

	private static ConfigurableApplicationContext server;

	private static LegacyHttp http;

	private static LegacyEchoConnection echo;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(EchoApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.legacy.enabled=true",
					"signalr.legacy.keep-alive=1s", "signalr.legacy.connection-timeout=2s",
					"signalr.legacy.disconnect-timeout=3s")
			.run();
		http = new LegacyHttp(((WebServerApplicationContext) server).getWebServer().getPort());
		echo = server.getBean(LegacyEchoConnection.class);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void classicNegotiateIsAGetAtTheHandlersPathWhileAspNetCoreClientsPostTheirs() throws Exception {
		HttpResponse<String> classic = http.get("/ECHO/negotiate?clientProtocol=1.5");
		assertThat(classic.statusCode()).isEqualTo(200);
		JsonNode body = LegacyHttp.MAPPER.readTree(classic.body());
		assertThat(body.get("Url").asString()).isEqualTo("/ECHO");
		assertThat(body.get("ProtocolVersion").asString()).isEqualTo("1.5");
		assertThat(body.has("availableTransports")).isFalse();
		JsonNode modern = LegacyHttp.MAPPER.readTree(http.post("/echo/negotiate?negotiateVersion=1", "").body());
		assertThat(modern.has("availableTransports")).isTrue();
		assertThat(http.get("/nothing/negotiate?clientProtocol=1.5").statusCode()).isEqualTo(404);
	}

	@Test
	void serverSentEventsCarryEachSendAsOneJsonValueAndSendAnswersEmpty() throws Exception {
		JsonNode negotiate = http.negotiate("/echo", "2.1", null);
		String id = negotiate.get("ConnectionId").asString();
		String query = common("serverSentEvents", negotiate, "2.1", null);
		HttpResponse<InputStream> stream = http.stream("/echo/connect?" + query);
		BlockingQueue<String> events = lines(stream.body());
		assertThat(next(events)).isEqualTo("data: initialized");
		assertThat(next(events)).matches("data: \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}");
		assertThat(http.get("/echo/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(echo.connected).containsOnlyOnce(id);
		assertThat(message(events, SSE_KEEP_ALIVE)).matches("data: \\{\"C\":\"[^\"]+\",\"M\":\\[\"Welcome!\"]}");
		HttpResponse<String> sent = http.post("/echo/send?" + query, "data=" + q("hello \"you\""));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).isEmpty();
		assertThat(message(events, SSE_KEEP_ALIVE)).endsWith(",\"M\":[\"hello \\\"you\\\"\"]}");
		http.post("/echo/send?" + query, "data=" + q("{ \"a\" : [1, true] }"));
		assertThat(message(events, SSE_KEEP_ALIVE)).endsWith(",\"M\":[{\"a\":[1,true]}]}");
		http.post("/echo/send?" + query, "data=42");
		assertThat(message(events, SSE_KEEP_ALIVE)).endsWith(",\"M\":[42]}");
		assertThat(http.post("/echo/abort?" + query, "").statusCode()).isEqualTo(200);
		assertThat(message(events, SSE_KEEP_ALIVE)).isEqualTo(LegacyHttp.END);
		assertThat(echo.disconnected).containsOnlyOnce(id + ":null");
		assertThat(http.post("/echo/send?" + query, "data=x").statusCode()).isEqualTo(404);
	}

	@Test
	void groupsAndBroadcastsReachClassicLongPollingAndAspNetCoreWebSocketConnectionsAlike() throws Exception {
		JsonNode negotiate = http.negotiate("/echo", "1.3", null);
		String query = common("longPolling", negotiate, "1.3", null);
		String init = http.get("/echo/connect?" + query).body();
		String cursor = LegacyHttp.MAPPER.readTree(init).get("C").asString();
		// protocol 1.3: connected at /connect
		JsonNode welcome = LegacyHttp.MAPPER.readTree(http.get("/echo/poll?" + query + "&messageId=" + q(cursor)).body());
		assertThat(welcome.get("M").toString()).isEqualTo("[\"Welcome!\"]");
		cursor = welcome.get("C").asString();
		http.post("/echo/send?" + query, "data=" + q("join:room"));
		String token = LegacyHttp.MAPPER.readTree(http.post("/echo/negotiate?negotiateVersion=1", "").body())
			.get("connectionToken")
			.asString();
		LegacyEndpointIntegrationTests.Frames frames = new LegacyEndpointIntegrationTests.Frames();
		WebSocket modern = LegacyHttp.HTTP.newWebSocketBuilder()
			.buildAsync(URI.create(http.url("/echo?id=" + q(token)).replace("http:", "ws:")), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).isEqualTo("Welcome!");
		modern.sendText("group:room:to the room", true).join();
		JsonNode grouped = LegacyHttp.MAPPER.readTree(http.get("/echo/poll?" + query + "&messageId=" + q(cursor)).body());
		assertThat(grouped.get("M").toString()).isEqualTo("[\"to the room\"]");
		http.post("/echo/send?" + query, "data=" + q("all:to everyone"));
		assertThat(next(frames.texts)).isEqualTo("to everyone");
		JsonNode all = LegacyHttp.MAPPER.readTree(
				http.get("/echo/poll?" + query + "&messageId=" + q(grouped.get("C").asString())).body());
		assertThat(all.get("M").toString()).isEqualTo("[\"to everyone\"]");
		modern.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		http.get("/echo/abort?" + query);
	}

	@Test
	void webSocketEchoesEachFrameAsOneJsonValue() throws Exception {
		JsonNode negotiate = http.negotiate("/echo", "2.1", null);
		String query = common("webSockets", negotiate, "2.1", null);
		LegacyEndpointIntegrationTests.Frames frames = new LegacyEndpointIntegrationTests.Frames();
		WebSocket socket = LegacyHttp.HTTP.newWebSocketBuilder()
			.buildAsync(URI.create(http.url("/echo/connect?" + query).replace("http:", "ws:")), frames)
			.get(10, TimeUnit.SECONDS);
		assertThat(next(frames.texts)).contains("\"S\":1");
		http.get("/echo/start?" + query);
		assertThat(message(frames.texts, "{}")).endsWith(",\"M\":[\"Welcome!\"]}");
		socket.sendText("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}", true).join();
		assertThat(message(frames.texts, "{}")).endsWith(",\"M\":[{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}]}");
		HttpResponse<String> refused = LegacyHttp.HTTP.send(HttpRequest.newBuilder(URI.create(http.url(
				"/echo/send?" + query))).POST(HttpRequest.BodyPublishers.ofString("data=x")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(refused.body()).isEqualTo("Not a valid web socket request.");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		http.post("/echo/abort?" + query, "");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ LegacyEchoConnection.class, LegacyChatHub.class })
	static class EchoApplication {

	}
}
