package io.github.springsignalr.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import io.reactivex.rxjava3.core.Completable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Spring Boot servers sharing one real Redis through the backplane, with official Java clients
 * (com.microsoft.signalr) connected to different servers: what a client of one server sends reaches the
 * clients of the other. One server connects with Spring Boot's {@code spring.data.redis.*} settings and
 * {@code signalr.redis.enabled}, the other with {@code signalr.backplane=redis} and its own URL.
 */
class RedisBackplaneIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static RedisServer redis;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private final List<HubConnection> clients = new ArrayList<>();

	@BeforeAll
	static void startServers() {
		redis = RedisServer.start();
		first = start("signalr.redis.enabled=true", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());
		second = start("signalr.backplane=redis", "signalr.redis.url=" + redis.url());
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(ChatApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	@AfterAll
	static void stopServers() {
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

	@AfterEach
	void stopClients() {
		for (HubConnection client : this.clients) {
			if (client.getConnectionState() != HubConnectionState.DISCONNECTED) {
				client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
	}

	private HubConnection connect(ConfigurableApplicationContext server, BlockingQueue<String> received) {
		int port = ((WebServerApplicationContext) server).getWebServer().getPort();
		HubConnection client = HubConnectionBuilder.create("http://localhost:" + port + "/chat").build();
		client.on("Receive", received::add, String.class);
		this.clients.add(client);
		await(client.start());
		return client;
	}

	private static void await(Completable completable) {
		assertThat(completable.blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
			.as("completed within %s", TIMEOUT)
			.isTrue();
	}

	private static List<String> take(BlockingQueue<String> queue, int count) throws InterruptedException {
		List<String> messages = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String message = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (message == null) {
				throw new AssertionError("Expected " + count + " messages within " + TIMEOUT + " but got " + messages);
			}
			messages.add(message);
		}
		return messages;
	}

	@Test
	void broadcastFromAClientOfOneServerReachesTheClientsOfBoth() throws InterruptedException {
		BlockingQueue<String> onFirst = new LinkedBlockingQueue<>();
		BlockingQueue<String> onSecond = new LinkedBlockingQueue<>();
		connect(first, onFirst);
		HubConnection sender = connect(second, onSecond);

		await(sender.invoke("Broadcast", "hello"));
		await(sender.invoke("Broadcast", "again"));

		assertThat(take(onFirst, 2)).containsExactly("hello", "again");
		assertThat(take(onSecond, 2)).containsExactly("hello", "again");
	}

	@Test
	void groupMessageFromAClientOfOneServerReachesTheMembersOnTheOther() throws InterruptedException {
		BlockingQueue<String> member = new LinkedBlockingQueue<>();
		BlockingQueue<String> outsider = new LinkedBlockingQueue<>();
		BlockingQueue<String> senderReceived = new LinkedBlockingQueue<>();
		HubConnection memberClient = connect(first, member);
		connect(first, outsider);
		HubConnection sender = connect(second, senderReceived);
		await(memberClient.invoke("Join", "room"));

		await(sender.invoke("SendToGroup", "room", "hi"));
		await(sender.invoke("Broadcast", "end"));

		assertThat(take(member, 2)).containsExactly("room: hi", "end");
		assertThat(take(outsider, 1)).containsExactly("end");
		assertThat(take(senderReceived, 1)).containsExactly("end");
	}

	@Test
	void hubContextOfOneServerAddsAClientOfTheOtherToAGroup() throws InterruptedException {
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		HubConnection client = connect(first, received);
		@SuppressWarnings("unchecked")
		HubContext<ChatHub> context = second.getBean(HubContext.class);

		context.groups().addToGroup(client.getConnectionId(), "remote").block(TIMEOUT);
		context.clients().group("remote").send("Receive", "via the other server").block(TIMEOUT);

		assertThat(take(received, 1)).containsExactly("via the other server");
	}

	/** The chat application both servers run. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ChatHub.class)
	static class ChatApplication {

	}

	/** Broadcast, groups. */
	@Hub("/chat")
	static class ChatHub {

		public Mono<Void> broadcast(String message, HubCallerClients clients) {
			return clients.all().send("Receive", message);
		}

		public Mono<Void> join(String group, HubCallerContext caller, GroupManager groups) {
			return groups.addToGroup(caller.connectionId(), group);
		}

		public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
			return clients.group(group).send("Receive", group + ": " + message);
		}

	}

}
