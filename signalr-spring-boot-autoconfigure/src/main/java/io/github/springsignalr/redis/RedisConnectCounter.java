package io.github.springsignalr.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

/**
 * Listens to a Lettuce client for a {@link RedisBackplane}: how many times one of its connections was
 * established (every reconnect counts, however short the outage was) and when it last was.
 */
final class RedisConnectCounter implements RedisConnectionStateListener {

	private final AtomicLong connects = new AtomicLong();

	/** When a connection of the client was last established ({@link System#nanoTime()}). */
	private volatile long lastConnectNanos = System.nanoTime();

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
		this.lastConnectNanos = System.nanoTime();
		this.connects.incrementAndGet();
	}

	/** How many times a connection of the client was established. */
	long count() {
		return this.connects.get();
	}

	/** How long ago a connection of the client was last established (or this counter made). */
	Duration sinceLast() {
		return Duration.ofNanos(System.nanoTime() - this.lastConnectNanos);
	}

}
