package io.github.springsignalr.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.hub.AdditionalHubProtocols;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * Creates a {@link RedisHubLifetimeManager} for each hub, all sharing one {@link RedisBackplane}. A hub is
 * named in its channels by its class name. Each manager is returned once its node-wide channels are
 * subscribed, so a node serves no connection before it hears the others; while the backplane has not
 * connected yet (a node started without Redis) it is returned at once, and its channels are subscribed
 * when the backplane connects.
 */
public class RedisHubLifetimeManagerFactory implements HubLifetimeManagerFactory, AutoCloseable {

	private final RedisBackplane backplane;

	private final String channelPrefix;

	private final List<HubProtocol> protocols;

	private final Duration ackTimeout;

	private final @Nullable Duration clientResultTimeout;

	private final Duration startupTimeout;

	private final Map<String, RedisHubLifetimeManager> managers = new ConcurrentHashMap<>();

	private volatile AdditionalHubProtocols additionalProtocols = (hubName) -> List.of();

	/**
	 * @param backplane this node's link to Redis
	 * @param channelPrefix prefix of every channel name (may be empty)
	 * @param protocols the hub protocols in use
	 * @param ackTimeout how long a group command for a connection of another node waits for its Ack
	 * @param clientResultTimeout how long a client result is waited for; {@code null} for ever
	 * @param startupTimeout how long a new manager may take to subscribe its channels
	 */
	public RedisHubLifetimeManagerFactory(RedisBackplane backplane, String channelPrefix, List<HubProtocol> protocols,
			Duration ackTimeout, @Nullable Duration clientResultTimeout, Duration startupTimeout) {
		this.backplane = backplane;
		this.channelPrefix = channelPrefix;
		this.protocols = List.copyOf(protocols);
		this.ackTimeout = ackTimeout;
		this.clientResultTimeout = clientResultTimeout;
		this.startupTimeout = startupTimeout;
	}

	@Override
	public HubLifetimeManager create(String hubName, Class<?> hubClass) {
		RedisHubLifetimeManager manager = new RedisHubLifetimeManager(this.backplane, this.channelPrefix,
				hubClass.getName(), this.protocols, this.ackTimeout, this.clientResultTimeout);
		manager.setAdditionalProtocols(() -> this.additionalProtocols.forHub(hubName));
		try {
			manager.started().block(this.startupTimeout);
		}
		catch (RuntimeException ex) {
			manager.close();
			throw new RedisBackplaneException("The Redis backplane could not subscribe the channels of hub " + hubName
					+ " (" + manager.channelPrefix() + ":*) within " + this.startupTimeout, ex);
		}
		RedisHubLifetimeManager previous = this.managers.put(hubName, manager);
		if (previous != null) {
			previous.close();
		}
		return manager;
	}

	/**
	 * Protocols of each hub beside the negotiated ones (the classic ASP.NET SignalR 2 encoding of the
	 * legacy endpoint), which messages to other nodes are serialized in too.
	 */
	public void setAdditionalProtocols(AdditionalHubProtocols additionalProtocols) {
		this.additionalProtocols = additionalProtocols;
	}

	/** The backplane the managers share. */
	public RedisBackplane backplane() {
		return this.backplane;
	}

	/** Leaves the channels of every hub; the backplane is closed by its owner. */
	@Override
	public void close() {
		this.managers.values().forEach(RedisHubLifetimeManager::close);
		this.managers.clear();
	}

}
