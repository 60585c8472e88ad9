package io.github.springsignalr.redis;

/**
 * Two nodes exchanging messages with sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+) on
 * a standalone Redis, where every channel lives on the one shard.
 */
class ShardedRedisHubLifetimeManagerCrossNodeTests extends RedisCrossNodeTestSupport {

	@Override
	protected boolean sharded() {
		return true;
	}

}
