package io.github.springsignalr.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.github.springsignalr.metrics.SignalRMetrics;

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

	private final Map<String, Consumer<byte[]>> handlers = new ConcurrentHashMap<>();

	private final Runnable shutdown;

	private final RedisConnectCounter connects = new RedisConnectCounter();

	private volatile @Nullable RedisLinks links;

	private volatile @Nullable ScheduledExecutorService connecting;

	private volatile boolean closed;

	private volatile SignalRMetrics metrics = SignalRMetrics.NOOP;

	/** Completes when the backplane first connects (at once for {@link #connect}). */
	private final Sinks.Empty<Void> joined = Sinks.empty();

	private RedisBackplane(String nodeId, boolean sharded, AbstractRedisClient client, boolean ownsClient) {
		this.nodeId = nodeId;
		this.sharded = sharded;
		client.addListener(this.connects);
		this.shutdown = ownsClient ? client::shutdown : () -> client.removeListener(this.connects);
	}

	/**
	 * Connects to Redis with a Lettuce client (standalone, sentinel or cluster) and returns once both
	 * connections are open.
	 * @param client the client; it stays the caller's unless {@code ownsClient}
	 * @param sharded whether to use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+)
	 * @param ownsClient whether {@link #close()} shuts the client down
	 * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
	 */
	public static RedisBackplane connect(AbstractRedisClient client, boolean sharded, boolean ownsClient) {
		RedisBackplane backplane = new RedisBackplane(newNodeId(), sharded, client, ownsClient);
		try {
			backplane.connected(RedisLinks.open(client, sharded));
		}
		catch (RuntimeException ex) {
			backplane.close();
			throw ex;
		}
		return backplane;
	}

	/**
	 * Connects to Redis like {@link #connect}, but when Redis cannot be reached returns at once and
	 * keeps connecting in the background, with the reconnect delay of the client's resources, until it
	 * is connected or closed (a warning is logged once). Meanwhile channels are subscribed locally and
	 * in Redis once connected, and publishing and key commands fail at once.
	 * @throws io.lettuce.core.RedisCommandExecutionException when Redis answered with an error (such as
	 * a wrong password): that is a misconfiguration, not an outage
	 */
	public static RedisBackplane start(AbstractRedisClient client, boolean sharded, boolean ownsClient) {
		RedisBackplane backplane = new RedisBackplane(newNodeId(), sharded, client, ownsClient);
		try {
			backplane.connected(RedisLinks.open(client, sharded));
		}
		catch (RuntimeException ex) {
			if (answeredByRedis(ex)) {
				backplane.close();
				throw ex;
			}
			logger.warn("Could not connect to Redis (" + ex.getMessage() + "); the Redis backplane keeps "
					+ "connecting in the background, and until then this node serves only its own clients");
			ScheduledExecutorService connecting = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "signalr-redis-connect");
				thread.setDaemon(true);
				return thread;
			});
			backplane.connecting = connecting;
			backplane.retry(client, connecting, 1);
		}
		return backplane;
	}

	/** Whether Redis itself answered with an error, somewhere in the causes of a failure. */
	private static boolean answeredByRedis(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisCommandExecutionException) {
				return true;
			}
		}
		return false;
	}

	private void retry(AbstractRedisClient client, ScheduledExecutorService connecting, long attempt) {
		Duration delay = client.getResources().reconnectDelay().createDelay(attempt);
		try {
			connecting.schedule(() -> {
				if (this.closed) {
					return;
				}
				try {
					connected(RedisLinks.open(client, this.sharded));
					logger.info("Connected to Redis after " + attempt + " attempts in the background");
					connecting.shutdown();
				}
				catch (RuntimeException ex) {
					logger.debug("Could not connect to Redis, attempt " + attempt, ex);
					retry(client, connecting, attempt + 1);
				}
			}, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed meanwhile
		}
	}

	/**
	 * Takes the connections into use: subscribes every channel that has a handler. Closes them instead
	 * when this backplane was closed meanwhile.
	 */
	private void connected(RedisLinks links) {
		synchronized (this) {
			if (this.closed) {
				links.close();
				return;
			}
			links.subscriber().addListener(new RedisPubSubAdapter<byte[], byte[]>() {

				@Override
				public void message(byte[] channel, byte[] message) {
					dispatch(channel, message);
				}

				@Override
				public void smessage(byte[] channel, byte[] message) {
					dispatch(channel, message);
				}

			});
			this.links = links;
			for (String channel : this.handlers.keySet()) {
				logFailure(sendSubscribe(links, channel), "Could not subscribe to Redis channel " + channel);
			}
		}
		this.joined.tryEmitEmpty();
	}

	private static void logFailure(Mono<?> command, String failure) {
		command.subscribe(null, (ex) -> logger.warn(failure, ex));
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
		RedisLinks links = this.links;
		return links != null && links.subscriber().isOpen() && links.publisher().isOpen();
	}

	/**
	 * How many times a connection of this backplane's client was established: it changes with every
	 * reconnect, however short the outage was.
	 */
	long connectCount() {
		return this.connects.count();
	}

	/** How long ago a connection of this backplane's client was last established (or the backplane made). */
	Duration sinceLastConnect() {
		return this.connects.sinceLast();
	}

	/**
	 * Completes when this backplane has first connected to Redis and asked for its channels (at once when
	 * it has); never when it is closed before.
	 */
	public Mono<Void> whenJoined() {
		return this.joined.asMono();
	}

	/** Whether this backplane has connected to Redis (it may have lost the connection since). */
	public boolean hasConnected() {
		return this.links != null;
	}

	/** Sends {@code PING} on the publishing connection when subscribed; completes with Redis's answer. */
	public Mono<String> ping() {
		return Mono.defer(() -> {
			RedisLinks links = this.links;
			if (links == null) {
				return Mono.error(new RedisBackplaneException("Could not ping Redis: not connected to Redis yet"));
			}
			return RedisLinks.command(
					() -> (links.publisher() instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)
							? cluster.async().ping()
							: ((StatefulRedisConnection<byte[], byte[]>) links.publisher()).async().ping(),
					"Could not ping Redis");
		});
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
	 * so it must not block). The command is sent at once. Before this backplane first connected, the
	 * channel is subscribed when it connects.
	 * @return completes when Redis confirmed the subscription, or at once while not connected yet
	 */
	Mono<Void> subscribe(String channel, Consumer<byte[]> handler) {
		synchronized (this) {
			this.handlers.put(channel, handler);
			RedisLinks links = this.links;
			// sent under the lock: in order with the subscriptions of connected()
			return (links != null) ? sendSubscribe(links, channel) : Mono.empty();
		}
	}

	private Mono<Void> sendSubscribe(RedisLinks links, String channel) {
		byte[] name = channel.getBytes(StandardCharsets.UTF_8);
		RedisPubSubAsyncCommands<byte[], byte[]> subscriptions = links.subscriber().async();
		return RedisLinks.command(() -> this.sharded ? subscriptions.ssubscribe(name) : subscriptions.subscribe(name),
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
		synchronized (this) {
			RedisLinks links = this.links;
			if (links == null) {
				this.handlers.remove(channel, handler);
				return Mono.empty();
			}
			RedisPubSubAsyncCommands<byte[], byte[]> subscriptions = links.subscriber().async();
			return RedisLinks.command(() -> {
				CompletionStage<Void> done = this.sharded ? subscriptions.sunsubscribe(name)
						: subscriptions.unsubscribe(name);
				// a new subscription of the channel meanwhile keeps its own handler
				return done.whenComplete((result, ex) -> this.handlers.remove(channel, handler));
			}, "Could not unsubscribe from Redis channel " + channel);
		}
	}

	/**
	 * Publishes a payload. The command is sent at once; while the publishing connection is down
	 * (Lettuce reconnecting, or not connected yet) it fails at once instead of waiting in Lettuce's
	 * queue.
	 * @return the number of subscribers that received it (in a cluster, those of the node that took it)
	 */
	Mono<Long> publish(String channel, byte[] payload) {
		RedisLinks links = this.links;
		if (links == null || !links.publisher().isOpen()) {
			// Lettuce would queue the command until it reconnects: fail now, delivery is at most once
			return Mono.error(new RedisBackplaneException("Could not publish to Redis channel " + channel + ": "
					+ RedisLinks.notConnected(links)));
		}
		SignalRMetrics metrics = this.metrics;
		if (!metrics.isBackplaneRecorded()) {
			return RedisLinks.command(() -> links.publish().apply(channel.getBytes(StandardCharsets.UTF_8), payload),
					"Could not publish to Redis channel " + channel);
		}
		// timed on the command itself: callers need not subscribe
		long started = System.nanoTime();
		return RedisLinks.command(() -> links.publish().apply(channel.getBytes(StandardCharsets.UTF_8), payload)
			.whenComplete((receivers, ex) -> {
				if (ex == null) {
					metrics.backplanePublished(RedisChannels.type(channel), System.nanoTime() - started);
				}
			}), "Could not publish to Redis channel " + channel);
	}

	/**
	 * Sets a key to a text value that expires after {@code ttl}. The command is sent on subscription,
	 * again on each; while not connected it fails at once.
	 */
	Mono<Void> setValue(String key, String value, Duration ttl) {
		return keyCommand((keys) -> keys.set(key.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.px(Math.max(1, ttl.toMillis()))),
				"Could not set Redis key " + key).then();
	}

	/**
	 * The text value of a key; empty when it has none. The command is sent on subscription, again on
	 * each; while not connected it fails at once.
	 */
	Mono<String> getValue(String key) {
		return keyCommand((keys) -> keys.get(key.getBytes(StandardCharsets.UTF_8)), "Could not get Redis key " + key)
			.map((value) -> new String(value, StandardCharsets.UTF_8));
	}

	/**
	 * Deletes a key. The command is sent on subscription, again on each; while not connected it fails
	 * at once.
	 */
	Mono<Void> deleteValue(String key) {
		return keyCommand((keys) -> keys.del(key.getBytes(StandardCharsets.UTF_8)), "Could not delete Redis key " + key)
			.then();
	}

	private <T> Mono<T> keyCommand(Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<T>> command,
			String failure) {
		return Mono.defer(() -> {
			RedisLinks links = this.links;
			if (links == null || !links.publisher().isOpen()) {
				// Lettuce would queue the command until it reconnects
				return Mono.error(new RedisBackplaneException(failure + ": " + RedisLinks.notConnected(links)));
			}
			return RedisLinks.command(() -> command.apply(links.keys()), failure);
		});
	}

	/** Stops connecting, closes both connections (and the client when this backplane owns it). */
	@Override
	public void close() {
		RedisLinks links;
		synchronized (this) {
			this.closed = true;
			links = this.links;
		}
		ScheduledExecutorService connecting = this.connecting;
		if (connecting != null) {
			connecting.shutdownNow();
		}
		this.handlers.clear();
		try {
			if (links != null) {
				links.close();
			}
		}
		finally {
			this.shutdown.run();
		}
	}

}
