/**
 * The Redis backplane: a {@link io.github.springsignalr.hub.HubLifetimeManager} that reaches the
 * connections of every node of a scaled-out application through Redis pub/sub, with Lettuce, and the
 * Redis-backed {@link io.github.springsignalr.cluster.NodeDirectory} of the nodes. Local recipients are
 * served at once, without Redis; channel names and payloads are documented in the Javadoc, as Spring
 * Session documents its keys. The manager keeps its parts apart: this node's connections and their
 * channels ({@code RedisLocalSubscriptions}), group changes acknowledged by other nodes
 * ({@code RedisGroupAcks}), client results across nodes ({@code RedisClientResults}) and the payload
 * layout ({@code RedisProtocol}); the {@link io.github.springsignalr.redis.RedisBackplane} holds the
 * node's two connections to Redis.
 */
@NullMarked
package io.github.springsignalr.redis;

import org.jspecify.annotations.NullMarked;
