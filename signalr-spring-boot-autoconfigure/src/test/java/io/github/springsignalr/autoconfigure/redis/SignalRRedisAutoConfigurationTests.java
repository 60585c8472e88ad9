package io.github.springsignalr.autoconfigure.redis;

import java.net.URI;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.redis.RedisBackplane;
import io.github.springsignalr.redis.RedisHubLifetimeManager;
import io.github.springsignalr.redis.RedisHubLifetimeManagerFactory;
import io.github.springsignalr.redis.RedisNodeDirectory;
import io.github.springsignalr.redis.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link SignalRRedisAutoConfiguration} replaces the in-memory lifetime manager, and how it connects
 * to Redis.
 */
class SignalRRedisAutoConfigurationTests {

	private static RedisServer redis;

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRRedisAutoConfiguration.class, SignalRAutoConfiguration.class,
				JacksonAutoConfiguration.class));

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void keepsTheInMemoryManagerUnlessEnabled() {
		this.runner.withPropertyValues("signalr.redis.url=" + redis.url()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RedisBackplane.class);
			assertThat(context.getBean(HubLifetimeManagerFactory.class).create("Chat", ChatHub.class))
				.isInstanceOf(DefaultHubLifetimeManager.class);
		});
	}

	@Test
	void replacesTheLifetimeManagerWhenEnabled() {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=" + redis.url(),
				"signalr.redis.channel-prefix=shop:")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(HubLifetimeManagerFactory.class);
				HubLifetimeManager manager = context.getBean(HubLifetimeManagerFactory.class).create("Chat",
						ChatHub.class);
				assertThat(manager).isInstanceOf(RedisHubLifetimeManager.class);
				assertThat(((RedisHubLifetimeManager) manager).channelPrefix()).isEqualTo("shop:" + ChatHub.class.getName());
				assertThat(subscribers("shop:" + ChatHub.class.getName() + ":all")).isOne();
			});
	}

	@Test
	void isEnabledBySelectingTheRedisBackplane() {
		this.runner.withPropertyValues("signalr.backplane=redis", "signalr.redis.url=" + redis.url())
			.run((context) -> assertThat(context.getBean(HubLifetimeManagerFactory.class))
				.isInstanceOf(RedisHubLifetimeManagerFactory.class));
	}

	@Test
	void connectsWithSpringBootsRedisSettings() {
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("signalr.redis.enabled=true", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(HubLifetimeManagerFactory.class).create("Boot", BootHub.class);
				assertThat(subscribers(BootHub.class.getName() + ":all")).isOne();
			});
	}

	@Test
	void backsOffFromTheApplicationsLifetimeManagerFactory() {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=" + redis.url())
			.withBean(HubLifetimeManagerFactory.class, () -> (name, type) -> new DefaultHubLifetimeManager())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(HubLifetimeManagerFactory.class))
					.isNotInstanceOf(RedisHubLifetimeManagerFactory.class);
			});
	}

	@Test
	void forwardsRequestsToTheOwningNodeWhenTheBackplaneIsOn() {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=" + redis.url(),
				"signalr.redis.channel-prefix=shop:", "signalr.redis.node-url=http://10.0.0.5:8080/")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(RequestForwardingWebFilter.class);
				RedisNodeDirectory directory = context.getBean(RedisNodeDirectory.class);
				URI url = context.getBean(SignalRRedisAutoConfiguration.NodeUrlRegistration.class).url(1234);
				assertThat(url).isEqualTo(URI.create("http://10.0.0.5:8080"));
				directory.register(url);
				assertThat(value("shop:internal:node:" + directory.localNodeId())).isEqualTo("http://10.0.0.5:8080");
				assertThat(directory.localNodeId()).matches("[A-Za-z0-9_-]+");
			});
	}

	@Test
	void advertisesTheLocalAddressAndPortByDefault() {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=" + redis.url(),
				"server.address=192.168.1.7")
			.run((context) -> assertThat(
					context.getBean(SignalRRedisAutoConfiguration.NodeUrlRegistration.class).url(8081))
				.isEqualTo(URI.create("http://192.168.1.7:8081")));
	}

	@Test
	void doesNotForwardWhenTurnedOffOrWithoutTheBackplane() {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=" + redis.url(),
				"signalr.redis.forwarding=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(RedisBackplane.class);
				assertThat(context).doesNotHaveBean(RequestForwardingWebFilter.class);
				assertThat(context).doesNotHaveBean(RedisNodeDirectory.class);
			});
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RequestForwardingWebFilter.class));
	}

	private static String value(String key) {
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().get(key);
		}
		finally {
			client.shutdown();
		}
	}

	private static long subscribers(String channel) {
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
		}
		finally {
			client.shutdown();
		}
	}

	static class ChatHub {

	}

	static class BootHub {

	}

}
