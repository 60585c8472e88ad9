package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.security.SecurityHttp.RecordingSocket;
import tools.jackson.databind.JsonNode;

/**
 * Bearer tokens sent in the {@code access_token} query (as browsers must for WebSockets and SSE) and
 * connection tokens never reach the application's log, even with DEBUG logging of the library, of the
 * server (Reactor Netty; Tomcat's request processing, its WebSocket and its connector, on the servlet
 * stack) and of Spring's web layer ({@code logging.level.web=debug}, whose request lines show the query
 * with those two values redacted).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.io.github.springsignalr=debug", "logging.level.reactor.netty=debug",
				"logging.level.org.apache.catalina=debug", "logging.level.org.apache.tomcat=debug",
				"logging.level.web=debug" })
@ExtendWith(OutputCaptureExtension.class)
class TokenLoggingTests {

	private static final List<String> DEBUG_LOGGERS = List.of("io.github.springsignalr", "reactor.netty",
			"org.apache.catalina", "org.apache.tomcat", "web");

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@AfterAll
	static void restoreLogLevels() {
		LoggingSystem system = LoggingSystem.get(TokenLoggingTests.class.getClassLoader());
		DEBUG_LOGGERS.forEach((logger) -> system.setLogLevel(logger, null));
	}

	@Test
	void accessTokenInTheQueryAndConnectionTokenNeverAppearInTheLog(CapturedOutput output) {
		SecurityHttp http = new SecurityHttp(this.port);
		String token = http.token("testuser");
		JsonNode negotiated = http.negotiate("/authorizedhub", token);
		String connectionToken = negotiated.get("connectionToken").asString();
		// WebSockets with the token only in the query, as browsers send it
		RecordingSocket socket = http.openWebSocket("/authorizedhub?id=" + connectionToken + "&access_token=" + token,
				Map.of());
		socket.handshake();
		socket.send(SecurityHttp.invocation("1", "Echo", "logged?"));
		assertThat(HubAuthorizationTests.completion(socket, "1").get("result").asString()).isEqualTo("logged?");
		socket.close();
		assertThat(socket.closeCode()).isEqualTo(1000);
		// a refused request with the token in the query (the connection token is not this user's any more)
		String other = http.token("someone-else");
		HttpResponse<String> refused = http.send("GET",
				"/authorizedhub?id=" + connectionToken + "&access_token=" + other, null,
				Map.of("Accept", "text/event-stream"), "");
		assertThat(refused.statusCode()).isEqualTo(404);
		// a token the server rejects
		String tampered = token.substring(0, token.length() - 2) + (token.endsWith("xx") ? "yy" : "xx");
		assertThat(http.refusedWebSocketStatus("/authorizedhub?access_token=" + tampered, Map.of())).isEqualTo(401);

		String log = output.getAll();
		// the capture saw the DEBUG logging it is about: the server's (Tomcat's request processing logs no
		// request line; its wire dump, org.apache.coyote.http11, shows every header, Authorization included,
		// and stays off like Reactor Netty's wiretap) and Spring's request lines
		boolean tomcat = SecurityHttp.onTomcat(this.context);
		assertThat(log).contains("DEBUG").contains(tomcat ? "apache.catalina" : "HttpServerOperations")
			.contains("SignalRHandlerMapping");
		String method = tomcat ? "" : "HTTP ";
		assertThat(log).contains(method + "GET \"/authorizedhub?id=[redacted]&access_token=[redacted]\"")
			.contains(method + "POST \"/authorizedhub/negotiate?negotiateVersion=1\"");
		assertThat(log).doesNotContain(token).doesNotContain(other).doesNotContain(tampered)
			.doesNotContain(connectionToken);
		// nor any part of a token long enough to matter (its signature)
		assertThat(log).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
	}
}
