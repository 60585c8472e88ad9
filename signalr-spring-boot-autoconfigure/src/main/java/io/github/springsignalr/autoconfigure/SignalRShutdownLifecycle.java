package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

import io.github.springsignalr.connection.ConnectionManager;

/**
 * The graceful way out of a node, before the web server's graceful shutdown and the web server itself
 * stop (and before the beans are destroyed, the Redis backplane among them): from then on negotiates
 * are answered with 503, every hub connection gets a Close that allows it to reconnect (through the
 * load balancer, to another node) after what is queued for it, SSE and long-poll responses end, and
 * invocations still running are waited for, all within {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
final class SignalRShutdownLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SignalRShutdownLifecycle.class);

	private final ConnectionManager connections;

	private final IntSupplier runningInvocations;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * @param runningInvocations how many hub invocations are running on this node
	 * @param timeout the longest the shutdown waits for connections and invocations to end
	 */
	SignalRShutdownLifecycle(ConnectionManager connections, IntSupplier runningInvocations, Duration timeout) {
		this.connections = connections;
		this.runningInvocations = runningInvocations;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.connections.resume();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.timeout.toNanos();
		int open = this.connections.count();
		this.connections.shutdown(this.timeout);
		while (this.runningInvocations.getAsInt() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		int leftConnections = this.connections.count();
		int leftInvocations = this.runningInvocations.getAsInt();
		if (leftConnections > 0 || leftInvocations > 0) {
			logger.warn("SignalR shutdown: " + leftConnections + " of " + open + " connections and "
					+ leftInvocations + " invocations still running after " + this.timeout);
		}
		else if (open > 0) {
			logger.info("SignalR shutdown: " + open + " connections closed, invited to reconnect");
		}
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
