package io.github.springsignalr.autoconfigure.legacy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the endpoint for clients of the classic ASP.NET SignalR 2 ({@code signalr.legacy.*}):
 * the jQuery client, signalr4j and the Python clients reach the same hubs as ASP.NET Core clients.
 */
@ConfigurationProperties("signalr.legacy")
public class SignalRLegacyProperties {

	/**
	 * Whether to serve the classic ASP.NET SignalR 2 hub endpoint (negotiate, connect, reconnect, poll,
	 * start, send, abort and ping under the path; webSockets, serverSentEvents and longPolling).
	 */
	private boolean enabled;

	/**
	 * Base path of the classic endpoint, matched ignoring case; every hub is reached through it by name.
	 */
	private String path = "/signalr";

	/**
	 * Interval of keep-alives on an open transport; clients are told twice this as their KeepAliveTimeout.
	 * Empty or zero for none: clients are told null, and webSockets, serverSentEvents and foreverFrame
	 * streams end after the connection timeout (the client reconnects).
	 */
	private @Nullable Duration keepAlive = Duration.ofSeconds(10);

	/**
	 * How long a connection without a transport lives on (after 5 s, or the long-poll delay) before it
	 * ends and its hubs' OnDisconnected run with a timeout.
	 */
	private Duration disconnectTimeout = Duration.ofSeconds(30);

	/**
	 * How long a long poll is held open before it is answered without messages (and, without keep-alive,
	 * how long a stream lasts).
	 */
	private Duration connectionTimeout = Duration.ofSeconds(110);

	/**
	 * How long clients wait for a transport to start before trying the next one (told in negotiate).
	 */
	private Duration transportConnectTimeout = Duration.ofSeconds(5);

	/**
	 * How long long-polling clients wait between polls (told in each response as L when not zero).
	 */
	private Duration longPollDelay = Duration.ZERO;

	/**
	 * The most messages a connection keeps for a client that has not received them yet (during a
	 * reconnect, between polls); the oldest go first.
	 */
	private int messageBufferSize = 1000;

	/**
	 * Whether each @ConnectionMapping handler is also served to classic clients as a persistent
	 * connection, at its own path (a GET of path/negotiate, then path/connect, path/send and so on).
	 */
	private boolean persistentConnections = true;

	/**
	 * Whether JSONP requests (a callback parameter) are accepted; refused with 403 when off.
	 */
	private boolean jsonp;

	/**
	 * Secret that signs connection tokens (HMAC-SHA256), for nodes that must accept each other's tokens;
	 * a random one per process when not set. Use at least 32 random characters.
	 */
	private @Nullable String tokenSecret;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public @Nullable Duration getKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(@Nullable Duration keepAlive) {
		this.keepAlive = keepAlive;
	}

	public Duration getDisconnectTimeout() {
		return this.disconnectTimeout;
	}

	public void setDisconnectTimeout(Duration disconnectTimeout) {
		this.disconnectTimeout = disconnectTimeout;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public Duration getTransportConnectTimeout() {
		return this.transportConnectTimeout;
	}

	public void setTransportConnectTimeout(Duration transportConnectTimeout) {
		this.transportConnectTimeout = transportConnectTimeout;
	}

	public Duration getLongPollDelay() {
		return this.longPollDelay;
	}

	public void setLongPollDelay(Duration longPollDelay) {
		this.longPollDelay = longPollDelay;
	}

	public int getMessageBufferSize() {
		return this.messageBufferSize;
	}

	public void setMessageBufferSize(int messageBufferSize) {
		this.messageBufferSize = messageBufferSize;
	}

	public boolean isPersistentConnections() {
		return this.persistentConnections;
	}

	public void setPersistentConnections(boolean persistentConnections) {
		this.persistentConnections = persistentConnections;
	}

	public boolean isJsonp() {
		return this.jsonp;
	}

	public void setJsonp(boolean jsonp) {
		this.jsonp = jsonp;
	}

	public @Nullable String getTokenSecret() {
		return this.tokenSecret;
	}

	public void setTokenSecret(@Nullable String tokenSecret) {
		this.tokenSecret = tokenSecret;
	}
}
