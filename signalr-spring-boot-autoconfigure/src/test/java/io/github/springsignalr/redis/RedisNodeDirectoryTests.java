package io.github.springsignalr.redis;

import java.net.URI;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node directory against a real {@code redis-server}: registrations outlive their time to live while
 * refreshed, and an unknown node is called unknown only once Redis has been connected for a registration's
 * lifetime (after a Redis restart, live nodes register again on their own schedule).
 */
class RedisNodeDirectoryTests {

	private static final Duration TIME_TO_LIVE = Duration.ofSeconds(2);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private RedisServer redis;

	private RedisClient client;

	private RedisBackplane backplane;

	private RedisNodeDirectory directory;

	@BeforeEach
	void connect() {
		this.redis = RedisServer.start();
		this.client = RedisClient.create(this.redis.url());
		this.backplane = RedisBackplane.connect(this.client, false, false);
		this.directory = new RedisNodeDirectory(this.backplane, "signalr:", TIME_TO_LIVE);
	}

	@AfterEach
	void close() {
		this.directory.close();
		this.backplane.close();
		this.client.shutdown();
		this.redis.close();
	}

	@Test
	void lookupOfAnUnregisteredNodeFailsUntilRedisHasBeenConnectedForARegistrationsLifetime()
			throws InterruptedException {
		assertThatThrownBy(() -> this.directory.locate("someOtherNode").block(TIMEOUT))
			.isInstanceOf(RedisBackplaneException.class)
			.hasMessageContaining("may not have registered again yet");

		Thread.sleep(TIME_TO_LIVE.plusMillis(200).toMillis());

		assertThat(this.directory.locate("someOtherNode").blockOptional(TIMEOUT)).isEmpty();
	}

	@Test
	void registrationIsFoundByAnotherNodeAfterSeveralLifetimes() throws InterruptedException {
		this.directory.register(URI.create("http://127.0.0.1:8080"));
		RedisNodeDirectory other = new RedisNodeDirectory(this.backplane, "signalr:", TIME_TO_LIVE);

		Thread.sleep(TIME_TO_LIVE.multipliedBy(3).toMillis());

		assertThat(other.locate(this.directory.localNodeId()).block(TIMEOUT)).isEqualTo(URI.create("http://127.0.0.1:8080"));
	}

}
