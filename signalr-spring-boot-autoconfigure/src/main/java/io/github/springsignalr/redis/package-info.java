/**
 * The Redis backplane: a {@link io.github.springsignalr.hub.HubLifetimeManager} that reaches the
 * connections of every node of a scaled-out application through Redis pub/sub, with Lettuce, and the
 * Redis-backed {@link io.github.springsignalr.cluster.NodeDirectory} of the nodes. Local recipients are
 * served at once, without Redis; channel names and payloads are documented in the Javadoc, as Spring
 * Session documents its keys.
 */
@NullMarked
package io.github.springsignalr.redis;

import org.jspecify.annotations.NullMarked;
