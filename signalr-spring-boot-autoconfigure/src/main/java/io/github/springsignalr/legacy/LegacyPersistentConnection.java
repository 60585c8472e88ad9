package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Connection;
import io.github.springsignalr.Connections;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * What a {@link io.github.springsignalr.ConnectionHandler} sees of a classic persistent connection
 * (SignalR 2's {@code PersistentConnection}): a {@link Connection} whose client data arrives as the raw
 * string the client sent, and each of whose sends is one JSON value in the {@code M} of a
 * PersistentResponse: data that is valid JSON as it is (compacted), anything else as a JSON string. It is
 * one of its endpoint's {@link Connections} (send, broadcast, groups) from OnConnected to OnDisconnected.
 */
final class LegacyPersistentConnection extends LegacyView {

	private static final Log logger = LogFactory.getLog(LegacyPersistentConnection.class);

	private final ConnectionRoute route;

	private final JsonMapper mapper;

	private final AtomicBoolean connected = new AtomicBoolean();

	private volatile SignalRMetrics.ConnectionMetrics metrics = SignalRMetrics.ConnectionMetrics.NOOP;

	/** The handler's last {@code onReceived}: calls for one connection never overlap. */
	private Mono<Void> receiving = Mono.empty();

	LegacyPersistentConnection(LegacyConnection connection, ConnectionRoute route, JsonMapper mapper) {
		super(connection);
		this.route = route;
		this.mapper = mapper;
	}

	/** Joins the endpoint's connections and runs the handler's {@code onConnected}, once. */
	Mono<Void> connected() {
		return Mono.defer(() -> {
			if (!this.connected.compareAndSet(false, true)) {
				return Mono.empty();
			}
			this.route.addConnection(this);
			this.metrics = this.connection.metrics().connectionStarted(this.route.name(), transport());
			return this.route.handler().onConnected(this);
		});
	}

	/** Data from the client, to the handler's {@code onReceived} after the previous data's. */
	synchronized Mono<Void> received(String data) {
		byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
		Mono<Void> previous = this.receiving;
		Mono<Void> next = previous.then(Mono.defer(() -> this.route.handler().onReceived(this, bytes)))
			.doOnError((ex) -> logger.debug("onReceived of " + this + " failed", ex))
			.onErrorResume((ex) -> Mono.empty())
			.cache();
		this.receiving = next;
		return next;
	}

	/** Leaves the endpoint's connections and groups and runs the handler's {@code onDisconnected}, if it connected. */
	Mono<Void> disconnected(@Nullable Throwable cause) {
		if (!this.connected.get()) {
			return Mono.empty();
		}
		this.route.removeConnection(this);
		this.metrics.ended(this.connection.endStatus(cause), null);
		return this.route.handler().onDisconnected(this, cause);
	}

	@Override
	public boolean send(byte[] data) {
		return !this.connection.isEnded() && this.connection.buffered(jsonValue(this.mapper, data));
	}

	@Override
	public Connections connections() {
		return this.route;
	}

	@Override
	public String toString() {
		return "LegacyPersistentConnection[" + id() + ", " + this.route.name() + "]";
	}
}
