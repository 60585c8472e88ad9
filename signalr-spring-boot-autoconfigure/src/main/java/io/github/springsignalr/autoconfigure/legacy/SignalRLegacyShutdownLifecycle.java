package io.github.springsignalr.autoconfigure.legacy;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;

import io.github.springsignalr.legacy.LegacyConnections;

/**
 * The graceful way out for classic connections, before the web server stops: waiting long polls are
 * answered with {@code "T":1} (their clients reconnect), event streams and sockets end, and the hubs'
 * OnDisconnected run, within {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class SignalRLegacyShutdownLifecycle implements SmartLifecycle {

	private final LegacyConnections connections;

	private final Duration timeout;

	private volatile boolean running;

	SignalRLegacyShutdownLifecycle(LegacyConnections connections, Duration timeout) {
		this.connections = connections;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.connections.shutdown().block(this.timeout);
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
