package io.github.springsignalr.autoconfigure.legacy;

import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;

/**
 * The graceful way out for classic connections, before the web server stops: waiting long polls are
 * answered with {@code "T":1} (their clients reconnect), event streams and sockets end, and the hubs'
 * OnDisconnected (and persistent connection handlers' onDisconnected) run, within {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class SignalRLegacyShutdownLifecycle implements SmartLifecycle {

	private final Supplier<Mono<Void>> shutdown;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * @param shutdown ends the connections of the hub endpoint and of the persistent connection endpoints
	 */
	SignalRLegacyShutdownLifecycle(Supplier<Mono<Void>> shutdown, Duration timeout) {
		this.shutdown = shutdown;
		this.timeout = timeout;
	}

	/** The time the application gives each shutdown phase ({@code spring.lifecycle.timeout-per-shutdown-phase}). */
	static Duration timeout(Environment environment) {
		return Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.shutdown.get().block(this.timeout);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// with the hubs' own shutdown, before the web server's graceful shutdown
		return DEFAULT_PHASE;
	}
}
