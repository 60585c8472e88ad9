/**
 * The Redis backplane: a {@link io.github.springsignalr.hub.HubLifetimeManager} that reaches the
 * connections of every node of a scaled-out application through Redis pub/sub, with Lettuce. The
 * manager keeps its parts apart: this node's connections and their channels
 * ({@code RedisLocalSubscriptions}), group changes acknowledged by other nodes ({@code RedisGroupAcks}),
 * client results across nodes ({@code RedisClientResults}) and the payload layout ({@code RedisProtocol});
 * the {@link io.github.springsignalr.redis.RedisBackplane} holds the node's two connections to Redis.
 */
@NullMarked
package io.github.springsignalr.redis;

import org.jspecify.annotations.NullMarked;
