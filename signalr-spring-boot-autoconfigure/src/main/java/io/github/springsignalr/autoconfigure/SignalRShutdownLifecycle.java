package io.github.springsignalr.autoconfigure;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;

import io.github.springsignalr.connection.ConnectionManager;

/**
 * Ends every connection before the web server stops: hub clients get a Close that allows them to
 * reconnect (to another node behind the load balancer), and what is queued is sent first.
 */
final class SignalRShutdownLifecycle implements SmartLifecycle {

	private final ConnectionManager connections;

	private final Duration timeout;

	private volatile boolean running;

	SignalRShutdownLifecycle(ConnectionManager connections, Duration timeout) {
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
		this.connections.shutdown(this.timeout);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops before the web server's graceful shutdown and the web server itself
		return DEFAULT_PHASE;
	}
}
