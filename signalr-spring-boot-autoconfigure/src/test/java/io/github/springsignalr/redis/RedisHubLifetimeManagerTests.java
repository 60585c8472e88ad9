package io.github.springsignalr.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerContract;
import io.github.springsignalr.protocol.JsonHubProtocol;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis backplane against the {@link HubLifetimeManagerContract} on one node, with a real Redis, plus
 * its reference-counted subscriptions.
 */
class RedisHubLifetimeManagerTests extends HubLifetimeManagerContract {

	private static RedisServer redis;

	private static RedisClient client;

	private RedisBackplane backplane;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
		client = RedisClient.create(redis.url());
	}

	@AfterAll
	static void stopRedis() {
		if (client != null) {
			client.shutdown();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Override
	protected HubLifetimeManager createLifetimeManager() {
		this.backplane = RedisBackplane.connect(client, false, false);
		RedisHubLifetimeManager manager = new RedisHubLifetimeManager(this.backplane,
				"test-" + UUID.randomUUID() + ":", ContractHub.class.getName(),
				List.of(new JsonHubProtocol(JsonMapper.builder().build())), Duration.ofSeconds(2), null);
		manager.started().block(TIMEOUT);
		return manager;
	}

	@Override
	protected void destroyLifetimeManager(HubLifetimeManager manager) {
		((RedisHubLifetimeManager) manager).close();
		this.backplane.close();
	}

	private RedisHubLifetimeManager redisManager() {
		return (RedisHubLifetimeManager) manager();
	}

	@Test
	void subscribesAGroupWhileItHasLocalMembers() {
		RecordingConnection c1 = connect("c1");
		connect("c2");
		await(clients().addToGroup("c1", "a"));
		await(clients().addToGroup("c2", "a"));
		await(clients().addToGroup("c1", "b"));
		assertThat(redisManager().groupSubscriptionCount()).isEqualTo(2);

		disconnect(c1);
		assertThat(redisManager().groupSubscriptionCount()).isEqualTo(1);

		await(clients().removeFromGroup("c2", "a"));
		assertThat(redisManager().groupSubscriptionCount()).isZero();
	}

	@Test
	void subscribesAUserWhileItHasLocalConnections() {
		RecordingConnection c1 = connect("c1", "alice");
		RecordingConnection c2 = connect("c2", "alice");
		connect("c3", "bob");
		assertThat(redisManager().userSubscriptionCount()).isEqualTo(2);

		disconnect(c1);
		assertThat(redisManager().userSubscriptionCount()).isEqualTo(2);
		disconnect(c2);
		assertThat(redisManager().userSubscriptionCount()).isEqualTo(1);
	}

}
