package io.github.springsignalr.redis;

/** Two nodes exchanging messages with plain pub/sub ({@code SUBSCRIBE}/{@code PUBLISH}). */
class RedisHubLifetimeManagerCrossNodeTests extends RedisCrossNodeTestSupport {

	@Override
	protected boolean sharded() {
		return false;
	}

}
