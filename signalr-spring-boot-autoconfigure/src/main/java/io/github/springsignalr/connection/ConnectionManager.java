package io.github.springsignalr.connection;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.metrics.SignalRMetrics;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every connection of the application by token: creates them on negotiate (or on a WebSocket
 * request that skipped negotiation), finds them for transport requests, and on a heartbeat removes
 * those negotiated but never connected within the disconnect timeout and ticks the others'
 * keep-alive and timeouts.
 */
public final class ConnectionManager implements AutoCloseable {

	static final Log logger = LogFactory.getLog(ConnectionManager.class);

	private volatile boolean shuttingDown;

	private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final SecureRandom random = new SecureRandom();

	private final Map<String, HttpConnection> connections = new ConcurrentHashMap<>();

	private final Scheduler scheduler;

	private final Disposable heartbeat;

	private volatile String tokenPrefix = "";

	private volatile SignalRMetrics metrics = SignalRMetrics.NOOP;

	public ConnectionManager(Duration heartbeatInterval) {
		this.scheduler = Schedulers.newSingle("signalr-heartbeat", true);
		long millis = Math.max(10, heartbeatInterval.toMillis());
		this.heartbeat = this.scheduler.schedulePeriodically(this::tick, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Creates a connection for an endpoint.
	 * @param negotiateVersion 0 makes the token the id, as the reference does; 1 gives a separate secret
	 */
	public HttpConnection create(ConnectionRoute endpoint, int negotiateVersion) {
		String prefix = this.tokenPrefix;
		String id = (negotiateVersion > 0) ? newId() : prefix + newId();
		String token = (negotiateVersion > 0) ? prefix + newId() : id;
		HttpConnection connection = new HttpConnection(id, token, endpoint, this);
		this.connections.put(token, connection);
		if (logger.isDebugEnabled()) {
			logger.debug("New connection " + id + " created.");
		}
		return connection;
	}

	/** Sets where connections report their start and end (no-op by default). */
	public void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	SignalRMetrics metrics() {
		return this.metrics;
	}

	/**
	 * Starts every token created from now on (and the id of negotiate version 0, which is its token)
	 * with a prefix: the request forwarding of a scaled-out application puts the owning node's id there.
	 */
	public void setTokenPrefix(String tokenPrefix) {
		this.tokenPrefix = tokenPrefix;
	}

	/** The connection with this token, if it is alive. */
	public @Nullable HttpConnection get(String token) {
		return this.connections.get(token);
	}

	/**
	 * Whether the application is shutting down: from {@link #shutdown(Duration)} on, negotiates are
	 * answered with 503 so that clients go to another node.
	 */
	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

	/**
	 * Accepts negotiates again after a {@link #shutdown(Duration)}: a context that was stopped and is
	 * started again (Spring's test context cache pauses and restarts contexts) serves as before.
	 */
	public void resume() {
		this.shuttingDown = false;
	}

	/** Number of live connections. */
	public int count() {
		return this.connections.size();
	}

	void remove(HttpConnection connection) {
		if (this.connections.remove(connection.token(), connection) && logger.isDebugEnabled()) {
			logger.debug("Removing connection " + connection.id() + " from the list of connections.");
		}
	}

	private String newId() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return ID_ENCODER.encodeToString(bytes);
	}

	private void tick() {
		long now = System.nanoTime();
		for (HttpConnection connection : this.connections.values()) {
			try {
				if (connection.state() == HttpConnection.State.NEGOTIATED) {
					long timeout = connection.route().options().disconnectTimeout().toNanos();
					if (now - connection.waitingSinceNanos() > timeout) {
						connection.transportEnded(null);
					}
				}
				else if (connection.reconnectExpired(now)) {
					connection.timedOut();
					connection.transportEnded(null);
				}
				else {
					connection.tick();
				}
			}
			catch (RuntimeException ex) {
				// the reference's ScanningConnectionsFailed
				logger.error("Scanning connections failed at " + connection + ".", ex);
			}
		}
	}

	/**
	 * Ends every connection as the application shuts down, letting transports send what is queued,
	 * and waits up to {@code timeout} for them to finish.
	 */
	public void shutdown(Duration timeout) {
		this.shuttingDown = true;
		for (HttpConnection connection : this.connections.values()) {
			try {
				connection.shutdown();
			}
			catch (RuntimeException ex) {
				logger.debug("Shutdown of " + connection + " failed", ex);
			}
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public void close() {
		this.heartbeat.dispose();
		this.scheduler.dispose();
	}
}
