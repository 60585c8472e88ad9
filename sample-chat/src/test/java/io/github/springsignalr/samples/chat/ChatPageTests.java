package io.github.springsignalr.samples.chat;

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

/** The static side of the sample: the page and the SignalR client library it loads. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	@LocalServerPort
	private int port;

	@Test
	void servesChatPageAtRoot() throws Exception {
		HttpResponse<String> response = get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("<title>SignalR chat</title>")
			.contains("lib/signalr/signalr.min.js")
			.contains("chat.js");
	}

	@Test
	void servesPageScriptThatConnectsToChatHubWithAutomaticReconnect() throws Exception {
		HttpResponse<String> response = get("/chat.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"/chat?name=\"").contains(".withAutomaticReconnect()");
	}

	@Test
	void servesSignalRClientLibraryFromNpm() throws Exception {
		HttpResponse<String> response = get("/lib/signalr/signalr.min.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).contains("javascript"));
		assertThat(response.body()).contains("HubConnectionBuilder").hasSizeGreaterThan(10_000);
	}

	@Test
	void servesClassicPageOnTheJQueryClientAndTheGeneratedProxy() throws Exception {
		HttpResponse<String> page = get("/legacy.html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("lib/legacy/jquery.min.js")
			.contains("lib/legacy/jquery.signalR.min.js")
			.contains("<script src=\"signalr/hubs\"></script>")
			.contains("legacy.js");
		HttpResponse<String> proxy = get("/signalr/hubs");
		assertThat(proxy.statusCode()).isEqualTo(200);
		assertThat(proxy.body()).contains("proxies['chatHub'] = this.createHubProxy('chatHub');")
			.contains("sendToRoom: function (room, user, message)");
		assertThat(get("/legacy.js").body()).contains("$.connection.chatHub").contains("chat.client.receiveMessage");
	}

	@Test
	void servesJQueryAndTheClassicClientFromNpmWithTheirLicenses() throws Exception {
		HttpResponse<String> jquery = get("/lib/legacy/jquery.min.js");
		assertThat(jquery.statusCode()).isEqualTo(200);
		assertThat(jquery.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).contains("javascript"));
		assertThat(jquery.body()).startsWith("/*! jQuery v3.7.1 |");
		HttpResponse<String> client = get("/lib/legacy/jquery.signalR.min.js");
		assertThat(client.statusCode()).isEqualTo(200);
		assertThat(client.body()).contains("ASP.NET SignalR JavaScript Library 2.4.3")
			.contains("Licensed under the Apache License, Version 2.0");
		assertThat(get("/lib/legacy/jquery/LICENSE.txt").body()).contains("OpenJS Foundation");
		assertThat(get("/lib/legacy/signalr/LICENSE.md").body()).contains("Apache License");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(TIMEOUT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}
}
