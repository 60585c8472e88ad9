package io.github.springsignalr.autoconfigure.redis;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import reactor.core.Disposable;

import io.github.springsignalr.redis.RedisBackplane;

/**
 * Keeps a node that started without Redis out of the load balancer until its backplane has joined:
 * when the application becomes ready to accept traffic before the backplane has first connected, its
 * readiness goes back to {@link ReadinessState#REFUSING_TRAFFIC}, and to
 * {@link ReadinessState#ACCEPTING_TRAFFIC} once the backplane has connected and subscribed. A later
 * Redis outage does not touch readiness: a node goes on serving its own clients then (the backplane's
 * health indicator says DOWN).
 */
final class RedisBackplaneReadiness implements ApplicationListener<AvailabilityChangeEvent<?>>, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisBackplaneReadiness.class);

	private final RedisBackplane backplane;

	private final ApplicationEventPublisher publisher;

	/** Whether readiness is refused by this object (and no one else refused it since). */
	private volatile boolean holding;

	private volatile boolean closed;

	private volatile Disposable waiting = () -> {
	};

	RedisBackplaneReadiness(RedisBackplane backplane, ApplicationEventPublisher publisher) {
		this.backplane = backplane;
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getSource() == this) {
			return;
		}
		if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
			// refused by someone else (a shutdown): not ours to undo
			this.holding = false;
			return;
		}
		if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || this.backplane.hasConnected() || this.closed) {
			return;
		}
		logger.info("Not ready for traffic until the Redis backplane has connected");
		this.holding = true;
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
		this.waiting = this.backplane.whenJoined().subscribe(null, null, this::joined);
	}

	private void joined() {
		if (this.holding && !this.closed) {
			this.holding = false;
			logger.info("The Redis backplane has connected: ready for traffic");
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.waiting.dispose();
	}

}
