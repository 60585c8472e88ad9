package io.github.springsignalr.webmvc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official Java client (9.0.3) against a Spring MVC application on Tomcat, over WebSockets and long
 * polling: invocations, blocking methods, server pushes, streams and the end of the connection.
 */
@SpringBootTest(classes = TomcatHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JavaClientOnTomcatTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TomcatHubApplication.EchoHub hub;

	@Autowired
	private WebServerApplicationContext context;

	@ParameterizedTest
	@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
	void invokesStreamsAndReceivesPushesOnTomcat(TransportEnum transport) {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("TomcatWebServer");
		HubConnection connection = HubConnectionBuilder.create("http://localhost:" + this.port + "/echo")
			.withTransport(transport)
			.build();
		List<String> broadcasts = new CopyOnWriteArrayList<>();
		connection.on("Broadcast", broadcasts::add, String.class);
		CompletableFuture<String> you = new CompletableFuture<>();
		connection.on("You", you::complete, String.class);
		connection.start().blockingAwait(10, TimeUnit.SECONDS);
		try {
			assertThat(connection.invoke(String.class, "Echo", "hello").blockingGet()).isEqualTo("hello");
			assertThat(connection.invoke(String.class, "SlowEcho", "later").blockingGet()).isEqualTo("later");
			connection.invoke("Broadcast", "to all").blockingAwait(10, TimeUnit.SECONDS);
			await().atMost(java.time.Duration.ofSeconds(10)).until(() -> broadcasts.contains("to all"));
			connection.send("WhoAmI");
			assertThat(you.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(connection.getConnectionId());
			List<Integer> counted = connection.stream(Integer.class, "Count", 20)
				.toList()
				.blockingGet();
			assertThat(counted).hasSize(20).startsWith(1, 2, 3).endsWith(20);
		}
		finally {
			int before = this.hub.disconnected.get();
			connection.stop().blockingAwait(10, TimeUnit.SECONDS);
			await().atMost(java.time.Duration.ofSeconds(10)).until(() -> this.hub.disconnected.get() > before);
		}
		assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);
	}
}
