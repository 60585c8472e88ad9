package io.github.springsignalr.redis;

import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link RedisBackplane}'s two connections to Redis (standalone, sentinel or cluster), with the
 * commands used on the publishing one, and how a command's failure is reported.
 */
record RedisLinks(StatefulRedisPubSubConnection<byte[], byte[]> subscriber,
		StatefulConnection<byte[], byte[]> publisher, BiFunction<byte[], byte[], CompletionStage<Long>> publish,
		RedisClusterAsyncCommands<byte[], byte[]> keys) {

	/** Opens both connections; when the second cannot be opened, closes the first. */
	static RedisLinks open(AbstractRedisClient client, boolean sharded) {
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriber = cluster
				.connectPubSub(ByteArrayCodec.INSTANCE);
			// shard channels are subscribed on the node owning their slot: let their messages reach us
			subscriber.setNodeMessagePropagation(true);
			StatefulRedisClusterConnection<byte[], byte[]> publisher;
			try {
				publisher = cluster.connect(ByteArrayCodec.INSTANCE);
			}
			catch (RuntimeException ex) {
				subscriber.close();
				throw ex;
			}
			return new RedisLinks(subscriber, publisher,
					sharded ? publisher.async()::spublish : publisher.async()::publish, publisher.async());
		}
		if (client instanceof RedisClient standalone) {
			StatefulRedisPubSubConnection<byte[], byte[]> subscriber = standalone
				.connectPubSub(ByteArrayCodec.INSTANCE);
			StatefulRedisConnection<byte[], byte[]> publisher;
			try {
				publisher = standalone.connect(ByteArrayCodec.INSTANCE);
			}
			catch (RuntimeException ex) {
				subscriber.close();
				throw ex;
			}
			return new RedisLinks(subscriber, publisher,
					sharded ? publisher.async()::spublish : publisher.async()::publish, publisher.async());
		}
		throw new IllegalArgumentException("Unsupported Redis client " + client.getClass().getName());
	}

	void close() {
		this.subscriber.close();
		this.publisher.close();
	}

	/** Sends a command at once; its failure (also a closed connection's) becomes the Mono's error. */
	static <T> Mono<T> command(Supplier<CompletionStage<T>> command, String failure) {
		CompletionStage<T> done;
		try {
			done = command.get();
		}
		catch (RuntimeException ex) {
			return Mono.error(new RedisBackplaneException(failure, ex));
		}
		return Mono.fromCompletionStage(done).onErrorMap((ex) -> new RedisBackplaneException(failure, ex));
	}

	/** Why a command cannot be sent while the links are missing or the publisher is down. */
	static String notConnected(@Nullable RedisLinks links) {
		return (links != null) ? "not connected to Redis (reconnecting)" : "not connected to Redis yet (connecting)";
	}

}
