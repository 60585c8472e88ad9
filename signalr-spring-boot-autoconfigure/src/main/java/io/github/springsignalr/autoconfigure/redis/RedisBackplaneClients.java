package io.github.springsignalr.autoconfigure.redis;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The Lettuce client of the backplane: from {@code signalr.redis.url} when set, else from Spring Boot's
 * {@link DataRedisConnectionDetails} (standalone, sentinel or cluster; credentials; SSL bundle) when
 * {@code spring-boot-data-redis} is present; without either the application does not start.
 */
final class RedisBackplaneClients {

	private static final String CONNECTION_DETAILS = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

	private RedisBackplaneClients() {
	}

	static AbstractRedisClient create(SignalRRedisProperties properties, @Nullable ClientResources resources,
			ListableBeanFactory beanFactory) {
		String url = properties.getUrl();
		if (StringUtils.hasText(url)) {
			RedisURI uri;
			try {
				uri = RedisURI.create(url);
			}
			catch (IllegalArgumentException ex) {
				// the URL itself may hold a password: not repeated
				throw new IllegalStateException("signalr.redis.url is not a valid Redis URL (such as "
						+ "redis://host:6379): " + ex.getMessage(), ex);
			}
			return standalone(uri, resources, null);
		}
		if (ClassUtils.isPresent(CONNECTION_DETAILS, RedisBackplaneClients.class.getClassLoader())) {
			AbstractRedisClient client = BootConnectionDetails.create(beanFactory, resources);
			if (client != null) {
				return client;
			}
		}
		throw new IllegalStateException("signalr.backplane=redis needs the address of Redis: set signalr.redis.url "
				+ "(such as redis://localhost:6379), or add spring-boot-starter-data-redis and its spring.data.redis.* "
				+ "settings.");
	}

	private static RedisClient standalone(RedisURI uri, @Nullable ClientResources resources,
			@Nullable SslOptions ssl) {
		RedisClient client = (resources != null) ? RedisClient.create(resources, uri) : RedisClient.create(uri);
		if (ssl != null) {
			client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
		}
		return client;
	}

	/** Reads Spring Boot's connection details; loaded only when {@code spring-boot-data-redis} is present. */
	private static final class BootConnectionDetails {

		static @Nullable AbstractRedisClient create(ListableBeanFactory beanFactory,
				@Nullable ClientResources resources) {
			DataRedisConnectionDetails details = beanFactory.getBeanProvider(DataRedisConnectionDetails.class)
				.getIfUnique();
			if (details == null) {
				return null;
			}
			SslBundle bundle = details.getSslBundle();
			SslOptions ssl = (bundle != null) ? SslOptions.builder()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory())
				.build() : null;
			DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			if (sentinel != null) {
				RedisURI.Builder uri = RedisURI.builder()
					.withSentinelMasterId(sentinel.getMaster())
					.withDatabase(sentinel.getDatabase())
					.withSsl(bundle != null);
				credentials(uri, details.getUsername(), details.getPassword());
				for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
					RedisURI.Builder sentinelUri = RedisURI.Builder.redis(node.host(), node.port());
					credentials(sentinelUri, sentinel.getUsername(), sentinel.getPassword());
					uri.withSentinel(sentinelUri.build());
				}
				return standalone(uri.build(), resources, ssl);
			}
			DataRedisConnectionDetails.Cluster cluster = details.getCluster();
			if (cluster != null) {
				List<RedisURI> nodes = new ArrayList<>();
				for (DataRedisConnectionDetails.Node node : cluster.getNodes()) {
					RedisURI.Builder uri = RedisURI.Builder.redis(node.host(), node.port()).withSsl(bundle != null);
					credentials(uri, details.getUsername(), details.getPassword());
					nodes.add(uri.build());
				}
				RedisClusterClient client = (resources != null) ? RedisClusterClient.create(resources, nodes)
						: RedisClusterClient.create(nodes);
				if (ssl != null) {
					client.setOptions(ClusterClientOptions.builder().sslOptions(ssl).build());
				}
				return client;
			}
			if (details.getMasterReplica() != null) {
				throw new IllegalStateException("The SignalR Redis backplane does not support a static master/replica "
						+ "setup (spring.data.redis.masterreplica.*); set signalr.redis.url to the primary instead.");
			}
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			RedisURI.Builder uri = RedisURI.Builder.redis(standalone.getHost(), standalone.getPort())
				.withDatabase(standalone.getDatabase())
				.withSsl(bundle != null);
			credentials(uri, details.getUsername(), details.getPassword());
			return standalone(uri.build(), resources, ssl);
		}

		private static void credentials(RedisURI.Builder uri, @Nullable String username, @Nullable String password) {
			if (password == null) {
				return;
			}
			if (username != null) {
				uri.withAuthentication(username, password);
			}
			else {
				uri.withPassword(password);
			}
		}

	}

}
