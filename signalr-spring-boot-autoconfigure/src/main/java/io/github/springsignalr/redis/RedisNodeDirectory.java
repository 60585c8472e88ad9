package io.github.springsignalr.redis;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.springsignalr.cluster.NodeDirectory;

/**
 * The nodes of the application by id, registered in Redis: each node sets the key
 * {@code <prefix>internal:node:<nodeId>} to its advertised base URL with a time to live, refreshes it
 * at a third of that, and deletes it when it closes. Lookups are cached for a few seconds.
 *
 * <p>The node id is random at startup (twelve URL-safe Base64 characters, never a {@code .}), so a
 * restarted node is a new node and tokens of its previous life are unknown everywhere.
 */
public final class RedisNodeDirectory implements NodeDirectory, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisNodeDirectory.class);

	private static final Duration CACHE_TIME = Duration.ofSeconds(5);

	/** How often whether the backplane connected again is checked (locally, no command). */
	private static final Duration CONNECTION_CHECK = Duration.ofSeconds(1);

	/** A lookup that Redis does not answer within this fails: a forwarded request waits no longer. */
	private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

	private final RedisBackplane backplane;

	private final String keyPrefix;

	private final String nodeId;

	private final Duration timeToLive;

	private final Map<String, Located> cache = new ConcurrentHashMap<>();

	private volatile @Nullable Disposable refresh;

	private volatile @Nullable URI localUrl;

	private volatile boolean failing;

	/**
	 * @param channelPrefix {@code signalr.redis.channel-prefix}, which also starts the keys
	 * @param timeToLive how long a registration lives unless refreshed
	 */
	public RedisNodeDirectory(RedisBackplane backplane, String channelPrefix, Duration timeToLive) {
		this.backplane = backplane;
		this.keyPrefix = channelPrefix + "internal:node:";
		this.nodeId = newNodeId();
		this.timeToLive = timeToLive;
	}

	private static String newNodeId() {
		byte[] bytes = new byte[9];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public String localNodeId() {
		return this.nodeId;
	}

	/** This node's advertised base URL, once registered. */
	public @Nullable URI localUrl() {
		return this.localUrl;
	}

	/**
	 * Registers this node's advertised base URL and keeps the registration alive until {@link #close()}:
	 * every third of the time to live, {@code SET} is sent again. Waits at most a few seconds for the
	 * first registration; when Redis is away it is retried with the refreshes, and within a second of the
	 * backplane connecting (again: a restarted Redis may have lost the key). A failure is logged once per
	 * outage.
	 */
	public synchronized void register(URI url) {
		this.localUrl = url;
		Disposable previous = this.refresh;
		if (previous != null) {
			previous.dispose();
		}
		String key = this.keyPrefix + this.nodeId;
		// sent again on each subscription: every refresh is a new SET
		Mono<Void> set = this.backplane.setValue(key, url.toString(), this.timeToLive)
			.doOnSuccess((done) -> this.failing = false)
			.onErrorResume((ex) -> {
				if (!this.failing) {
					this.failing = true;
					logger.warn("Could not register node " + this.nodeId + " at " + url + " in Redis; retrying every "
							+ this.timeToLive.dividedBy(3) + " (" + ex.getMessage() + ")");
				}
				return Mono.empty();
			});
		set.block(Duration.ofSeconds(5));
		// registered again once the backplane connected again, however briefly it was away: Redis may have
		// lost the key (a restart)
		AtomicLong registeredAt = new AtomicLong(this.backplane.isConnected() ? this.backplane.connectCount() : -1);
		Flux<Long> reconnected = Flux.interval(CONNECTION_CHECK).filter((tick) -> {
			long connects = this.backplane.connectCount();
			return this.backplane.isConnected() && registeredAt.getAndSet(connects) != connects;
		});
		this.refresh = Flux.merge(Flux.interval(this.timeToLive.dividedBy(3)), reconnected)
			.concatMap((tick) -> set)
			.subscribe();
	}

	@Override
	public Mono<URI> locate(String nodeId) {
		if (nodeId.equals(this.nodeId)) {
			URI local = this.localUrl;
			return (local != null) ? Mono.just(local) : Mono.empty();
		}
		long now = System.nanoTime();
		Located cached = this.cache.get(nodeId);
		if (cached != null && now - cached.nanos() < CACHE_TIME.toNanos()) {
			return Mono.just(cached.url());
		}
		return this.backplane.getValue(this.keyPrefix + nodeId)
			.timeout(LOOKUP_TIMEOUT, Mono.error(() -> new RedisBackplaneException("Could not look node " + nodeId
					+ " up in Redis: no answer within " + LOOKUP_TIMEOUT)))
			.switchIfEmpty(Mono.defer(() -> unknown(nodeId)))
			.flatMap((value) -> {
				URI url;
				try {
					url = URI.create(value);
				}
				catch (IllegalArgumentException ex) {
					logger.warn("Node " + nodeId + " registered an invalid URL: " + value);
					return Mono.empty();
				}
				this.cache.put(nodeId, new Located(url, now));
				return Mono.just(url);
			});
	}

	/**
	 * A node Redis does not know: gone, unless Redis came (back) less than a registration's lifetime ago;
	 * then a live node may not have registered again yet (a restarted Redis lost every key, and each node
	 * reconnects on its own schedule), and the lookup fails instead of calling the node unknown.
	 */
	private Mono<String> unknown(String nodeId) {
		if (this.backplane.sinceLastConnect().compareTo(this.timeToLive) < 0) {
			return Mono.error(new RedisBackplaneException("Node " + nodeId + " is not registered in Redis, which "
					+ "connected less than " + this.timeToLive + " ago: it may not have registered again yet"));
		}
		return Mono.empty();
	}

	/** Stops refreshing and removes this node's registration. */
	@Override
	public synchronized void close() {
		Disposable refresh = this.refresh;
		if (refresh == null) {
			return;
		}
		refresh.dispose();
		this.refresh = null;
		try {
			this.backplane.deleteValue(this.keyPrefix + this.nodeId).block(Duration.ofSeconds(2));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not remove the registration of node " + this.nodeId, ex);
		}
	}

	private record Located(URI url, long nanos) {
	}

}
