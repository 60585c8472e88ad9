package io.github.springsignalr.webflux;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static io.github.springsignalr.webflux.LegacyHttp.common;
import static io.github.springsignalr.webflux.LegacyHttp.lines;
import static io.github.springsignalr.webflux.LegacyHttp.message;
import static io.github.springsignalr.webflux.LegacyHttp.next;
import static io.github.springsignalr.webflux.LegacyHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic endpoint's foreverFrame transport (contract §3.3) and JSONP (§10, on here) driven by hand
 * over raw HTTP, with KeepAlive 1 s and ConnectionTimeout 2 s; and the connection token kept out of the
 * DEBUG request log.
 */
@ExtendWith(OutputCaptureExtension.class)
class LegacyForeverFrameAndJsonpIntegrationTests {

	private static final String CHAT = "[{\"name\":\"chathub\"}]";

	private static final String KEEP_ALIVE = "<script>r(c, {});</script>";

	private static ConfigurableApplicationContext server;

	private static LegacyHttp http;

	private static LegacyChatHub hub;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(LegacyEndpointIntegrationTests.LegacyApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off", "signalr.legacy.enabled=true",
					"signalr.legacy.keep-alive=1s", "signalr.legacy.connection-timeout=2s",
					"signalr.legacy.disconnect-timeout=3s", "signalr.legacy.jsonp=true",
					"logging.level.org.springframework.web.server.adapter.HttpWebHandlerAdapter=DEBUG",
					"logging.level.org.springframework.web.reactive.socket=TRACE")
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
	void foreverFrameWritesThePrologueWithTheFrameIdThenOneEscapedScriptPerMessageAndKeepAlives() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String id = negotiate.get("ConnectionId").asString();
		String query = common("foreverFrame", negotiate, "2.1", CHAT);
		HttpResponse<InputStream> frame = http.stream("/signalr/connect?" + query + "&frameId=7");
		assertThat(frame.statusCode()).isEqualTo(200);
		assertThat(frame.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		// framed by the client's page, of the same origin only (Spring Security would say DENY)
		assertThat(frame.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
		BlockingQueue<String> lines = lines(frame.body());
		assertThat(next(lines)).isEqualTo(
				"<!DOCTYPE html><html><head><title>SignalR Forever Frame Transport Stream</title>");
		assertThat(next(lines)).isEqualTo("<script>");
		assertThat(next(lines)).isEqualTo("    var $ = window.parent.jQuery,");
		assertThat(next(lines)).isEqualTo("        ff = $ ? $.signalR.transports.foreverFrame : null,");
		assertThat(next(lines)).isEqualTo("        c =  ff ? ff.getConnection('7') : null,");
		assertThat(next(lines)).isEqualTo("        r = ff ? ff.receive : function() {};");
		assertThat(next(lines)).isEqualTo("    ff ? ff.started(c) : '';</script></head><body>");
		assertThat(next(lines)).matches("<script>r\\(c, \\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}\\);</script>");
		assertThat(http.get("/signalr/start?" + query).body()).isEqualTo("{ \"Response\": \"started\" }");
		assertThat(hub.connectedCount(id)).isEqualTo(1);
		assertThat(next(lines)).isEqualTo(KEEP_ALIVE);
		HttpResponse<String> echo = http.post("/signalr/send?" + query,
				"data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		assertThat(echo.body()).isEqualTo("{\"I\":\"0\",\"R\":\"x\"}");
		http.post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"</script><b>\","
				+ "\"\u2028\u2029\"],\"I\":1}"));
		assertThat(message(lines, KEEP_ALIVE)).matches("<script>r\\(c, \\{\"C\":\"[^\"]+\",\"M\":\\[\\{\"H\":\"ChatHub\","
				+ "\"M\":\"addMessage\",\"A\":\\[\"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\","
				+ "\"\\\\u2028\\\\u2029\"]}]}\\);</script>");
		assertThat(http.post("/signalr/abort?" + query, "").statusCode()).isEqualTo(200);
		assertThat(message(lines, KEEP_ALIVE)).isEqualTo(LegacyHttp.END);
		assertThat(hub.disconnected).containsOnlyOnce(id + ":null");
	}

	@Test
	void foreverFrameWithoutAnUnsignedFrameIdIsRefusedWithTheReferenceText() throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String query = common("foreverFrame", negotiate, "2.1", CHAT);
		for (String frameId : new String[] { "", "&frameId=", "&frameId=-1", "&frameId=x", "&frameId=4294967296" }) {
			HttpResponse<String> refused = http.get("/signalr/connect?" + query + frameId);
			assertThat(refused.statusCode()).as(frameId).isEqualTo(400);
			assertThat(refused.body()).isEqualTo("The supplied frameId is in the incorrect format.");
		}
		HttpResponse<InputStream> frame = http.stream("/signalr/connect?" + query + "&frameId=4294967295");
		assertThat(frame.statusCode()).isEqualTo(200);
		frame.body().close();
		assertThat(http.get("/signalr/poll?" + query).body()).isEqualTo("Protocol error: Unknown transport.");
		http.get("/signalr/abort?" + query);
	}

	@Test
	void jsonpWrapsNegotiatePingStartSendAndLongPollsInTheCallbackWithoutKeepAliveSpaces() throws Exception {
		HttpResponse<String> negotiated = http.get("/signalr/negotiate?clientProtocol=2.1&callback=jQuery1_2&connectionData="
				+ q(CHAT));
		assertThat(negotiated.headers().firstValue("Content-Type")).hasValue("application/javascript;charset=UTF-8");
		assertThat(negotiated.body()).startsWith("jQuery1_2({\"Url\":\"/signalr\",").endsWith("});");
		JsonNode negotiate = LegacyHttp.MAPPER.readTree(negotiated.body().substring(10, negotiated.body().length() - 2));
		assertThat(http.get("/signalr/ping?callback=$.cb").body()).isEqualTo("$.cb({ \"Response\": \"pong\" });");
		String query = common("longPolling", negotiate, "2.1", CHAT) + "&callback=cb";
		String connect = http.get("/signalr/connect?" + query).body();
		assertThat(connect).matches("cb\\(\\{\"C\":\"[^\"]+\",\"S\":1,\"M\":\\[]}\\);");
		String cursor = LegacyHttp.MAPPER.readTree(connect.substring(3, connect.length() - 2)).get("C").asString();
		assertThat(http.get("/signalr/start?" + query).body()).isEqualTo("cb({ \"Response\": \"started\" });");
		HttpResponse<String> echo = http.get("/signalr/send?" + query + "&data="
				+ q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		assertThat(echo.headers().firstValue("Content-Type")).hasValue("application/javascript;charset=UTF-8");
		assertThat(echo.body()).isEqualTo("cb({\"I\":\"0\",\"R\":\"x\"});");
		HttpResponse<String> idle = http.get("/signalr/poll?" + query + "&messageId=" + q(cursor));
		assertThat(idle.headers().firstValue("Content-Type")).hasValue("application/javascript;charset=UTF-8");
		assertThat(idle.body()).isEqualTo("cb({\"C\":\"" + cursor + "\",\"M\":[]});");
		http.get("/signalr/send?" + query + "&data="
				+ q("{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",\"b\"],\"I\":1}"));
		assertThat(http.get("/signalr/poll?" + query + "&messageId=" + q(cursor)).body())
			.matches("cb\\(\\{\"C\":\"[^\"]+\",\"M\":\\[\\{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":\\[\"a\",\"b\"]}]}\\);");
		http.get("/signalr/abort?" + query);
	}

	@Test
	void jsonpCallbacksThatAreNotAPathOfJavaScriptIdentifiersAreRefused() throws Exception {
		for (String callback : new String[] { "alert(1)", "a..b", "var", "a.new", "1a", "a-b", "x;y", "é" }) {
			HttpResponse<String> refused = http.get("/signalr/ping?callback=" + q(callback));
			assertThat(refused.statusCode()).as(callback).isEqualTo(400);
			assertThat(refused.body()).isEqualTo("Invalid JSONP callback.");
		}
		assertThat(http.get("/signalr/ping?callback=_jq.$x9.Y").statusCode()).isEqualTo(200);
	}

	@Test
	void theConnectionTokenOfClassicRequestsIsRedactedInTheDebugRequestLog(CapturedOutput output) throws Exception {
		JsonNode negotiate = http.negotiate("/signalr", "2.1", CHAT);
		String token = negotiate.get("ConnectionToken").asString();
		String query = common("longPolling", negotiate, "2.1", CHAT);
		http.get("/signalr/connect?" + query);
		http.post("/signalr/send?" + query, "data=" + q("{\"H\":\"chathub\",\"M\":\"Echo\",\"A\":[\"x\"],\"I\":0}"));
		http.post("/signalr/abort?" + query.replace("connectionToken", "CONNECTIONTOKEN"), "");
		JsonNode second = http.negotiate("/signalr", "2.1", CHAT);
		LegacyEndpointIntegrationTests.Frames frames = new LegacyEndpointIntegrationTests.Frames();
		WebSocket socket = LegacyHttp.HTTP.newWebSocketBuilder()
			.buildAsync(URI.create(http.url("/signalr/connect?" + common("webSockets", second, "2.1", CHAT))
				.replace("http:", "ws:")), frames)
			.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(next(frames.texts)).contains("\"S\":1");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		http.get("/signalr/abort?" + common("webSockets", second, "2.1", CHAT));
		assertThat(output).contains("/signalr/send?transport=longPolling&clientProtocol=2.1&connectionToken=[redacted]")
			.contains("CONNECTIONTOKEN=[redacted]")
			.doesNotContain(token)
			.doesNotContain(q(token))
			.doesNotContain(second.get("ConnectionToken").asString())
			.doesNotContain(q(second.get("ConnectionToken").asString()));
	}
}
