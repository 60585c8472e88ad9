package io.github.springsignalr.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import io.github.springsignalr.observation.SignalRMetrics;

/**
 * One node's link to Redis, shared by the lifetime managers of all its hubs: a dedicated pub/sub
 * connection that receives, a second connection that publishes, both with binary codecs. Messages are
 * handed to the handler registered for their channel on Lettuce's event loop, so handlers never block.
 *
 * <p>With sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+), a channel lives on the
 * cluster shard that owns its hash slot; Lettuce routes both commands by the channel's slot, so the
 * backplane spreads over the cluster instead of every message crossing every node.
 */
public final class RedisBackplane implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisBackplane.class);

	private final String nodeId;

	private final boolean sharded;

	private final StatefulRedisPubSubConnection<byte[], byte[]> subscriber;

	private final RedisPubSubAsyncCommands<byte[], byte[]> subscriptions;

	private final StatefulConnection<byte[], byte[]> publisher;

	private final BiFunction<byte[], byte[], CompletionStage<Long>> publish;

	private final RedisClusterAsyncCommands<byte[], byte[]> keys;

	private final Map<String, Consumer<byte[]>> handlers = new ConcurrentHashMap<>();

	private final Runnable shutdown;

	private volatile SignalRMetrics metrics = SignalRMetrics.NOOP;

	private RedisBackplane(String nodeId, boolean sharded, StatefulRedisPubSubConnection<byte[], byte[]> subscriber,
			StatefulConnection<byte[], byte[]> publisher, BiFunction<byte[], byte[], CompletionStage<Long>> publish,
			RedisClusterAsyncCommands<byte[], byte[]> keys, Runnable shutdown) {
		this.nodeId = nodeId;
		this.sharded = sharded;
		this.subscriber = subscriber;
		this.subscriptions = subscriber.async();
		this.publisher = publisher;
		this.publish = publish;
		this.keys = keys;
		this.shutdown = shutdown;
		subscriber.addListener(new RedisPubSubAdapter<byte[], byte[]>() {

			@Override
			public void message(byte[] channel, byte[] message) {
				dispatch(channel, message);
			}

			@Override
			public void smessage(byte[] channel, byte[] message) {
				dispatch(channel, message);
			}

		});
	}

	/**
	 * Connects to Redis with a Lettuce client (standalone, sentinel or cluster).
	 * @param client the client; it stays the caller's unless {@code ownsClient}
	 * @param sharded whether to use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+)
	 * @param ownsClient whether {@link #close()} shuts the client down
	 */
	public static RedisBackplane connect(AbstractRedisClient client, boolean sharded, boolean ownsClient) {
		String nodeId = newNodeId();
		Runnable shutdown = ownsClient ? client::shutdown : () -> {
		};
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriber = cluster
				.connectPubSub(ByteArrayCodec.INSTANCE);
			// shard channels are subscribed on the node owning their slot: let their messages reach us
			subscriber.setNodeMessagePropagation(true);
			StatefulRedisClusterConnection<byte[], byte[]> publisher = cluster.connect(ByteArrayCodec.INSTANCE);
			return new RedisBackplane(nodeId, sharded, subscriber, publisher,
					sharded ? publisher.async()::spublish : publisher.async()::publish, publisher.async(), shutdown);
		}
		if (client instanceof RedisClient standalone) {
			StatefulRedisPubSubConnection<byte[], byte[]> subscriber = standalone
				.connectPubSub(ByteArrayCodec.INSTANCE);
			StatefulRedisConnection<byte[], byte[]> publisher = standalone.connect(ByteArrayCodec.INSTANCE);
			return new RedisBackplane(nodeId, sharded, subscriber, publisher,
					sharded ? publisher.async()::spublish : publisher.async()::publish, publisher.async(), shutdown);
		}
		throw new IllegalArgumentException("Unsupported Redis client " + client.getClass().getName());
	}

	/** The host name for diagnostics, and a random part that makes the id unique. */
	private static String newNodeId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "node";
		}
		return host.replaceAll("[^A-Za-z0-9.-]", "") + "_" + UUID.randomUUID().toString().replace("-", "");
	}

	/** Identifies this node on the backplane; unique for the life of this backplane. */
	public String nodeId() {
		return this.nodeId;
	}

	/** Sets where publish latency and received messages are reported, by channel type (no-op by default). */
	public void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	/** Whether both connections to Redis are open. */
	public boolean isConnected() {
		return this.subscriber.isOpen() && this.publisher.isOpen();
	}

	/** Sends {@code PING} on the publishing connection; completes with Redis's answer. */
	public Mono<String> ping() {
		return command(() -> (this.publisher instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)
				? cluster.async().ping() : ((StatefulRedisConnection<byte[], byte[]>) this.publisher).async().ping(),
				"Could not ping Redis");
	}

	/** Whether sharded pub/sub is used. */
	public boolean isSharded() {
		return this.sharded;
	}

	private void dispatch(byte[] channel, byte[] message) {
		String name = new String(channel, StandardCharsets.UTF_8);
		SignalRMetrics metrics = this.metrics;
		if (metrics.isBackplaneRecorded()) {
			metrics.backplaneReceived(RedisChannels.type(name));
		}
		Consumer<byte[]> handler = this.handlers.get(name);
		if (handler == null) {
			return;
		}
		try {
			handler.accept(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to handle a message on backplane channel " + name, ex);
		}
	}

	/**
	 * Subscribes to a channel; from now on its messages go to {@code handler} (on Lettuce's event loop,
	 * so it must not block). The command is sent at once.
	 * @return completes when Redis confirmed the subscription
	 */
	Mono<Void> subscribe(String channel, Consumer<byte[]> handler) {
		this.handlers.put(channel, handler);
		byte[] name = channel.getBytes(StandardCharsets.UTF_8);
		return command(() -> this.sharded ? this.subscriptions.ssubscribe(name) : this.subscriptions.subscribe(name),
				"Could not subscribe to Redis channel " + channel);
	}

	/**
	 * Stops receiving a channel's messages. The command is sent at once; messages Redis sent before it
	 * took the command still reach the handler, which may answer them (a group command for a connection
	 * that just left is acknowledged rather than left to time out).
	 */
	Mono<Void> unsubscribe(String channel) {
		Consumer<byte[]> handler = this.handlers.get(channel);
		byte[] name = channel.getBytes(StandardCharsets.UTF_8);
		return command(() -> {
			CompletionStage<Void> done = this.sharded ? this.subscriptions.sunsubscribe(name)
					: this.subscriptions.unsubscribe(name);
			// a new subscription of the channel meanwhile keeps its own handler
			return done.whenComplete((result, ex) -> this.handlers.remove(channel, handler));
		}, "Could not unsubscribe from Redis channel " + channel);
	}

	/**
	 * Publishes a payload. The command is sent at once; while the publishing connection is down
	 * (Lettuce reconnecting) it fails at once instead of waiting in Lettuce's queue.
	 * @return the number of subscribers that received it (in a cluster, those of the node that took it)
	 */
	Mono<Long> publish(String channel, byte[] payload) {
		if (!this.publisher.isOpen()) {
			// Lettuce would queue the command until it reconnects: fail now, delivery is at most once
			return Mono.error(new RedisBackplaneException("Could not publish to Redis channel " + channel
					+ ": not connected to Redis (reconnecting)"));
		}
		SignalRMetrics metrics = this.metrics;
		if (!metrics.isBackplaneRecorded()) {
			return command(() -> this.publish.apply(channel.getBytes(StandardCharsets.UTF_8), payload),
					"Could not publish to Redis channel " + channel);
		}
		// timed on the command itself: callers need not subscribe
		long started = System.nanoTime();
		return command(() -> this.publish.apply(channel.getBytes(StandardCharsets.UTF_8), payload)
			.whenComplete((receivers, ex) -> {
				if (ex == null) {
					metrics.backplanePublished(RedisChannels.type(channel), System.nanoTime() - started);
				}
			}), "Could not publish to Redis channel " + channel);
	}

	/** Sets a key to a text value that expires after {@code ttl}. The command is sent at once. */
	Mono<Void> setValue(String key, String value, Duration ttl) {
		return command(() -> this.keys.set(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
				SetArgs.Builder.px(Math.max(1, ttl.toMillis()))), "Could not set Redis key " + key).then();
	}

	/** The text value of a key; empty when it has none. */
	Mono<String> getValue(String key) {
		return Mono.defer(() -> command(() -> this.keys.get(key.getBytes(StandardCharsets.UTF_8)),
				"Could not get Redis key " + key))
			.map((value) -> new String(value, StandardCharsets.UTF_8));
	}

	/** Deletes a key. The command is sent at once. */
	Mono<Void> deleteValue(String key) {
		return command(() -> this.keys.del(key.getBytes(StandardCharsets.UTF_8)), "Could not delete Redis key " + key)
			.then();
	}

	/** Sends a command at once; its failure (also a closed connection's) becomes the Mono's error. */
	private static <T> Mono<T> command(Supplier<CompletionStage<T>> command, String failure) {
		CompletionStage<T> done;
		try {
			done = command.get();
		}
		catch (RuntimeException ex) {
			return Mono.error(new RedisBackplaneException(failure, ex));
		}
		return Mono.fromCompletionStage(done).onErrorMap((ex) -> new RedisBackplaneException(failure, ex));
	}

	/** Closes both connections (and the client when this backplane owns it). */
	@Override
	public void close() {
		this.handlers.clear();
		try {
			this.subscriber.close();
			this.publisher.close();
		}
		finally {
			this.shutdown.run();
		}
	}

}
