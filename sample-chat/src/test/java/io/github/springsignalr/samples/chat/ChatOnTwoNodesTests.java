package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.springsignalr.redis.RedisServer;

/**
 * The chat sample as two nodes sharing a real Redis, as the README runs it: the same application with
 * {@code signalr.backplane=redis} (and here the test's Redis URL and random ports). Official JavaScript
 * clients on different nodes ({@code src/test/js/two-nodes.cjs}) receive each other's messages, to
 * everyone and to a room.
 */
class ChatOnTwoNodesTests {

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
		// as command-line arguments: they win over application.yml's server.port
		return new SpringApplicationBuilder(ChatApplication.class).run("--server.port=0",
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

	private static String url(ConfigurableApplicationContext node) {
		return "http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	@Test
	void messageSentOnOneNodeReachesAClientOfTheOther() throws Exception {
		NodeScript.Result result = NodeScript.run("two-nodes.cjs", Duration.ofSeconds(60), url(first), url(second));

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("two nodes passed");
	}

}
