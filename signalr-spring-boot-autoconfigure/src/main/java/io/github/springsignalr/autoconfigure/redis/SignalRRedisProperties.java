package io.github.springsignalr.autoconfigure.redis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Configuration of the Redis backplane ({@code signalr.redis.*}). It connects with Spring Boot's
 * {@code spring.data.redis.*} settings when {@code spring-boot-data-redis} is present, unless a URL of
 * its own is given.
 */
@ConfigurationProperties("signalr.redis")
public class SignalRRedisProperties {

	/**
	 * Whether the Redis backplane connects the nodes of the application; deprecated alias of
	 * signalr.backplane=redis.
	 */
	private boolean enabled;

	/**
	 * Redis URL of the backplane, such as redis://host:6379 or rediss://user:secret@host:6380/0. When not
	 * set, Spring Boot's spring.data.redis.* connection is used if spring-boot-data-redis is present; without
	 * either the application does not start.
	 */
	private @Nullable String url;

	/**
	 * Prefix of every channel name, before the hub's class name; lets applications share a Redis.
	 */
	private String channelPrefix = "";

	/**
	 * Whether to use sharded pub/sub (SSUBSCRIBE and SPUBLISH, Redis 7 or newer), so that on a Redis
	 * Cluster each channel lives on the shard owning its hash slot.
	 */
	private boolean shardedPubsub;

	/**
	 * How long adding a connection of another node to a group (or removing it) waits for that node's
	 * acknowledgement.
	 */
	private Duration ackTimeout = Duration.ofSeconds(30);

	/**
	 * Whether a transport request (SSE, long poll, POST, DELETE, WebSocket) for a connection of another
	 * node is forwarded to that node, so that no sticky sessions are needed.
	 */
	private boolean forwarding = true;

	/**
	 * Base URL at which the other nodes reach this node to forward requests, such as
	 * http://10.0.0.5:8080. When not set, http (https with server.ssl.enabled) with server.address, else
	 * this host's address, and the port the web server listens on.
	 */
	private @Nullable String nodeUrl;

	/**
	 * How long this node's registration in Redis (its id and advertised URL, by which the other nodes
	 * forward requests to it) lives unless refreshed; it is refreshed every third of that.
	 */
	private Duration nodeRegistrationTtl = Duration.ofSeconds(60);

	/**
	 * Whether {@code signalr.redis.enabled=true} was set.
	 * @deprecated since 1.2, set {@code signalr.backplane=redis}: the one switch of the backplane
	 */
	@Deprecated(since = "1.2")
	@DeprecatedConfigurationProperty(replacement = "signalr.backplane", since = "1.2",
			reason = "One switch turns the backplane on: signalr.backplane=redis")
	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public String getChannelPrefix() {
		return this.channelPrefix;
	}

	public void setChannelPrefix(String channelPrefix) {
		this.channelPrefix = channelPrefix;
	}

	public boolean isShardedPubsub() {
		return this.shardedPubsub;
	}

	public void setShardedPubsub(boolean shardedPubsub) {
		this.shardedPubsub = shardedPubsub;
	}

	public boolean isForwarding() {
		return this.forwarding;
	}

	public void setForwarding(boolean forwarding) {
		this.forwarding = forwarding;
	}

	public @Nullable String getNodeUrl() {
		return this.nodeUrl;
	}

	public void setNodeUrl(@Nullable String nodeUrl) {
		this.nodeUrl = nodeUrl;
	}

	public Duration getNodeRegistrationTtl() {
		return this.nodeRegistrationTtl;
	}

	public void setNodeRegistrationTtl(Duration nodeRegistrationTtl) {
		this.nodeRegistrationTtl = nodeRegistrationTtl;
	}

	public Duration getAckTimeout() {
		return this.ackTimeout;
	}

	public void setAckTimeout(Duration ackTimeout) {
		this.ackTimeout = ackTimeout;
	}

}
