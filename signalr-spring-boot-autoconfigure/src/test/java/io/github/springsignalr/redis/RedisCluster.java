package io.github.springsignalr.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster of three primaries on loopback ports, made of {@link RedisServer}s joined with
 * {@code redis-cli --cluster create}. Skips the calling test when {@code redis-server} or
 * {@code redis-cli} is not installed.
 */
final class RedisCluster implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private final List<RedisServer> servers;

	private RedisCluster(List<RedisServer> servers) {
		this.servers = servers;
	}

	static RedisCluster start() {
		// redis-cli comes with redis-server (Debian's redis-tools, a dependency of redis-server)
		Path cli = RedisServer.requireBinary().resolveSibling("redis-cli");
		assertThat(cli).as("redis-cli next to redis-server").isExecutable();
		List<RedisServer> servers = new ArrayList<>();
		RedisCluster cluster = new RedisCluster(servers);
		try {
			for (int i = 0; i < 3; i++) {
				servers.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
						"--cluster-node-timeout", "5000"));
			}
			List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
			for (RedisServer server : servers) {
				command.add("127.0.0.1:" + server.port());
			}
			command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			Process create = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!create.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed");
			}
			cluster.awaitClusterOk();
			return cluster;
		}
		catch (IOException | RuntimeException ex) {
			cluster.close();
			throw new IllegalStateException("Could not start a Redis Cluster", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cluster.close();
			throw new IllegalStateException(ex);
		}
	}

	private void awaitClusterOk() throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		for (RedisServer server : this.servers) {
			RedisClient client = RedisClient.create(server.url());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				while (!connection.sync().clusterInfo().contains("cluster_state:ok")) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("The Redis Cluster did not become ready within " + STARTUP);
					}
					Thread.sleep(100);
				}
			}
			finally {
				client.shutdown();
			}
		}
	}

	/** One seed URI per node. */
	List<RedisURI> uris() {
		return this.servers.stream().map((server) -> RedisURI.create(server.url())).toList();
	}

	@Override
	public void close() {
		this.servers.forEach(RedisServer::close);
	}

}
