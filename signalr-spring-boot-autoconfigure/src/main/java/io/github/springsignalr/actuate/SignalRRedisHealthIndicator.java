package io.github.springsignalr.actuate;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

import io.github.springsignalr.redis.RedisBackplane;

/**
 * Health of the Redis backplane: up when both of its connections are open and Redis answers
 * {@code PING} on the publishing one; down while a node that started without Redis has not connected
 * yet. A node that started without Redis is also not ready for traffic (its readiness state) until the
 * backplane first connects; later outages leave readiness alone, since the node still serves its own
 * clients. Add this indicator to the readiness group ({@code management.endpoint.health.group.readiness
 * .include=readinessState,signalrRedisBackplane}) to take a node out of the load balancer during those too.
 */
public class SignalRRedisHealthIndicator extends AbstractReactiveHealthIndicator {

	private final RedisBackplane backplane;

	public SignalRRedisHealthIndicator(RedisBackplane backplane) {
		super("SignalR Redis backplane health check failed");
		this.backplane = backplane;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		builder.withDetail("sharded", this.backplane.isSharded());
		if (!this.backplane.isConnected()) {
			String error = this.backplane.hasConnected() ? "A connection to Redis is closed"
					: "Not connected to Redis yet (connecting in the background)";
			return Mono.just(builder.down().withDetail("error", error).build());
		}
		return this.backplane.ping().map((pong) -> builder.up().build());
	}
}
