/**
 * Spring Boot auto-configuration of the Redis backplane ({@code signalr.redis.*}): the Lettuce client,
 * the lifetime manager of every hub, readiness while Redis is away and the forwarding of transport
 * requests between nodes. Active only with Lettuce on the classpath.
 */
@NullMarked
package io.github.springsignalr.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
