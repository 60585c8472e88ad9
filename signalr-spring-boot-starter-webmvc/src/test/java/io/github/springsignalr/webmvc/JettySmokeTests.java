package io.github.springsignalr.webmvc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application on Jetty instead of Tomcat: the Java client connects over WebSockets (Jetty's
 * Jakarta WebSocket implementation) and long polling, invokes, streams and receives a push.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration")
class JettySmokeTests {

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@ParameterizedTest
	@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
	void javaClientInvokesStreamsAndReceivesPushesOnJetty(TransportEnum transport) {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("JettyServletWebServer");
		HubConnection connection = HubConnectionBuilder.create("http://localhost:" + this.port + "/echo")
			.withTransport(transport)
			.build();
		CompletableFuture<String> you = new CompletableFuture<>();
		connection.on("You", you::complete, String.class);
		connection.start().blockingAwait(10, TimeUnit.SECONDS);
		try {
			assertThat(connection.invoke(String.class, "Echo", "on jetty").blockingGet()).isEqualTo("on jetty");
			connection.send("WhoAmI");
			assertThat(you.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(connection.getConnectionId());
			List<Integer> counted = connection.stream(Integer.class, "Count", 5).toList().blockingGet();
			assertThat(counted).containsExactly(1, 2, 3, 4, 5);
		}
		finally {
			connection.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
	}
}
