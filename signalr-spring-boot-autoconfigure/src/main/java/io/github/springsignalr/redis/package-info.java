/**
 * The Redis backplane: a {@link io.github.springsignalr.hub.HubLifetimeManager} that reaches the
 * connections of every node of a scaled-out application through Redis pub/sub, with Lettuce.
 */
@NullMarked
package io.github.springsignalr.redis;

import org.jspecify.annotations.NullMarked;
