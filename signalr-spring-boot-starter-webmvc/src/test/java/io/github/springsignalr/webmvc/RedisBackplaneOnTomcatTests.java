package io.github.springsignalr.webmvc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.redis.RedisBackplane;
import io.github.springsignalr.redis.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Spring MVC nodes on Tomcat share one Redis backplane: a broadcast sent through one node reaches the
 * clients of both.
 */
class RedisBackplaneOnTomcatTests {

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startNodes() {
		redis = RedisServer.start();
		first = startNode();
		second = startNode();
	}

	private static ConfigurableApplicationContext startNode() {
		return new SpringApplicationBuilder(TomcatHubApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--signalr.backplane=redis", "--signalr.redis.url=" + redis.url());
	}

	@AfterAll
	static void stopNodes() {
		if (first != null) {
			first.close();
		}
		if (second != null) {
			second.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void broadcastThroughOneNodeReachesTheClientsOfBoth() {
		assertThat(first.getBean(RedisBackplane.class)).isNotNull();
		HubConnection onFirst = connect(first);
		HubConnection onSecond = connect(second);
		List<String> firstGot = new CopyOnWriteArrayList<>();
		List<String> secondGot = new CopyOnWriteArrayList<>();
		onFirst.on("Broadcast", firstGot::add, String.class);
		onSecond.on("Broadcast", secondGot::add, String.class);
		try {
			onFirst.start().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.start().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.invoke("Broadcast", "across nodes").blockingAwait(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(firstGot).containsExactly("across nodes"));
			assertThat(secondGot).containsExactly("across nodes");
		}
		finally {
			onFirst.stop().blockingAwait(10, TimeUnit.SECONDS);
			onSecond.stop().blockingAwait(10, TimeUnit.SECONDS);
		}
	}

	private static HubConnection connect(ConfigurableApplicationContext node) {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return HubConnectionBuilder.create("http://localhost:" + port + "/echo").withTransport(TransportEnum.WEBSOCKETS).build();
	}
}
