package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import io.github.springsignalr.TransportType;

/**
 * Configuration of SignalR hubs and their paths ({@code signalr.*}). Every default is the one ASP.NET Core
 * SignalR ships with.
 */
@ConfigurationProperties("signalr")
public class SignalRProperties {

	/**
	 * Transports clients may use; negotiate lists only these.
	 */
	private Set<TransportType> transports = EnumSet.allOf(TransportType.class);

	/**
	 * How long a negotiated connection may wait for its transport (and a long-polling connection for its
	 * next poll) before it is removed.
	 */
	private Duration disconnectTimeout = Duration.ofSeconds(15);

	/**
	 * Bytes unsent to one client (queued, or written to its socket and not yet sent) before its connection
	 * is closed for not reading.
	 */
	private DataSize outboundBufferSize = DataSize.ofMegabytes(1);

	/**
	 * How long a connection the server closes (client timeout, outbound buffer overflow, shutdown, the
	 * application) may take to write what is queued and its Close before its socket is aborted: a client
	 * that stopped reading is disconnected after this, with OnDisconnected and group removal. As the close
	 * timeout of ASP.NET Core's WebSockets transport.
	 */
	private Duration closeTimeout = Duration.ofSeconds(5);

	/**
	 * Whether clients may use stateful reconnect (ASP.NET Core 8): a dropped WebSocket comes back within
	 * the disconnect timeout with no message lost or duplicated.
	 */
	private boolean allowStatefulReconnects;

	/**
	 * Whether a connection is closed when its bearer token expires (with a Close that lets the client
	 * reconnect with a fresh token).
	 */
	private boolean closeOnAuthenticationExpiration;

	/**
	 * Backplane connecting the nodes of a scaled-out application: "redis" turns the Redis backplane on
	 * (signalr.redis.*; it needs Lettuce and signalr.redis.url or Spring Boot's spring.data.redis.*).
	 */
	private Backplane backplane = Backplane.NONE;

	/**
	 * Per-hub settings, by hub name (the class's simple name unless {@code @Hub(name)} gives one).
	 */
	private final Map<String, HubSettings> hubs = new LinkedHashMap<>();

	/**
	 * Most SignalR connections this node holds at once, over every transport; past it negotiate and
	 * WebSocket connections without negotiate are answered 503. When not set, the process's open-file
	 * limit less a tenth of it (at least 100) for everything else: a node refuses connections before it runs
	 * out of file descriptors. Unlimited where that limit cannot be read.
	 */
	private @Nullable Integer maximumConnections;

	@NestedConfigurationProperty
	private final SignalRHttpProperties http = new SignalRHttpProperties();

	@NestedConfigurationProperty
	private final SignalRCorsProperties cors = new SignalRCorsProperties();

	@NestedConfigurationProperty
	private final SignalRHubProperties hub = new SignalRHubProperties();

	@NestedConfigurationProperty
	private final SignalRWebSocketProperties websocket = new SignalRWebSocketProperties();

	@NestedConfigurationProperty
	private final SignalRLongPollingProperties longPolling = new SignalRLongPollingProperties();

	@NestedConfigurationProperty
	private final SignalRAuthenticationRefreshProperties authenticationRefresh = new SignalRAuthenticationRefreshProperties();

	public Backplane getBackplane() {
		return this.backplane;
	}

	public void setBackplane(Backplane backplane) {
		this.backplane = backplane;
	}

	/** How the nodes of an application reach each other's connections. */
	public enum Backplane {

		/** Each node reaches only its own connections. */
		NONE,

		/** Redis pub/sub ({@code signalr.redis.*}). */
		REDIS

	}

	public Set<TransportType> getTransports() {
		return this.transports;
	}

	public void setTransports(Set<TransportType> transports) {
		this.transports = transports;
	}

	public Duration getDisconnectTimeout() {
		return this.disconnectTimeout;
	}

	public void setDisconnectTimeout(Duration disconnectTimeout) {
		this.disconnectTimeout = disconnectTimeout;
	}

	public DataSize getOutboundBufferSize() {
		return this.outboundBufferSize;
	}

	public void setOutboundBufferSize(DataSize outboundBufferSize) {
		this.outboundBufferSize = outboundBufferSize;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public boolean isAllowStatefulReconnects() {
		return this.allowStatefulReconnects;
	}

	public void setAllowStatefulReconnects(boolean allowStatefulReconnects) {
		this.allowStatefulReconnects = allowStatefulReconnects;
	}

	public boolean isCloseOnAuthenticationExpiration() {
		return this.closeOnAuthenticationExpiration;
	}

	public void setCloseOnAuthenticationExpiration(boolean closeOnAuthenticationExpiration) {
		this.closeOnAuthenticationExpiration = closeOnAuthenticationExpiration;
	}

	public Map<String, HubSettings> getHubs() {
		return this.hubs;
	}

	/** The settings of a hub by name, ignoring case; defaults when none are configured. */
	public HubSettings hubSettings(String name) {
		for (Map.Entry<String, HubSettings> entry : this.hubs.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return new HubSettings();
	}

	public @Nullable Integer getMaximumConnections() {
		return this.maximumConnections;
	}

	public void setMaximumConnections(@Nullable Integer maximumConnections) {
		this.maximumConnections = maximumConnections;
	}

	public SignalRHttpProperties getHttp() {
		return this.http;
	}

	public SignalRCorsProperties getCors() {
		return this.cors;
	}

	public SignalRHubProperties getHub() {
		return this.hub;
	}

	public SignalRWebSocketProperties getWebsocket() {
		return this.websocket;
	}

	public SignalRLongPollingProperties getLongPolling() {
		return this.longPolling;
	}

	public SignalRAuthenticationRefreshProperties getAuthenticationRefresh() {
		return this.authenticationRefresh;
	}

	/** Whether authentication refresh is on for a hub: its own setting, else the global one. */
	public boolean authenticationRefresh(String hubName) {
		return hubSettings(hubName).getAuthenticationRefresh().enabledFor(this.authenticationRefresh);
	}

	/**
	 * Settings of one hub ({@code signalr.hubs.<name>.*}): its authorization, and any {@code signalr.hub.*}
	 * option for this hub alone (unset ones take the global value).
	 */
	public static class HubSettings {

		/**
		 * Whether callers must be authenticated to negotiate and connect.
		 */
		private boolean authenticated;

		/**
		 * Authorities of which callers need one to negotiate and connect (e.g. ROLE_ADMIN); implies
		 * authentication.
		 */
		private List<String> authorities = new ArrayList<>();

		/**
		 * Hub protocols clients may choose for this hub; those of signalr.hub.supported-protocols by
		 * default.
		 */
		private List<String> supportedProtocols = new ArrayList<>();

		/**
		 * Interval after which a Ping is sent to this hub's clients when nothing else was sent; signalr.hub.keep-alive-interval by default.
		 */
		private @Nullable Duration keepAliveInterval;

		/**
		 * Time a client of this hub may stay silent, once it has sent its first Ping, before it is disconnected; signalr.hub.client-timeout-interval by default.
		 */
		private @Nullable Duration clientTimeoutInterval;

		/**
		 * Time a client of this hub has to complete the handshake; signalr.hub.handshake-timeout by default.
		 */
		private @Nullable Duration handshakeTimeout;

		/**
		 * Largest hub message accepted from a client of this hub; signalr.hub.maximum-receive-message-size by default.
		 */
		private @Nullable DataSize maximumReceiveMessageSize;

		/**
		 * Number of non-streaming invocations of one client of this hub that run at the same time; signalr.hub.maximum-parallel-invocations-per-client by default.
		 */
		private @Nullable Integer maximumParallelInvocationsPerClient;

		/**
		 * Whether exception types and messages are sent to this hub's clients in error texts; signalr.hub.enable-detailed-errors by default.
		 */
		private @Nullable Boolean enableDetailedErrors;

		/**
		 * Number of items buffered for each client-to-server stream of this hub; signalr.hub.stream-buffer-capacity by default.
		 */
		private @Nullable Integer streamBufferCapacity;

		/**
		 * How long the server waits for a client result of this hub's clients; signalr.hub.client-result-timeout by default.
		 */
		private @Nullable Duration clientResultTimeout;

		/**
		 * Unacknowledged bytes kept per stateful-reconnect client of this hub; signalr.hub.stateful-reconnect-buffer-size by default.
		 */
		private @Nullable DataSize statefulReconnectBufferSize;

		public @Nullable Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(@Nullable Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

		public @Nullable Duration getClientTimeoutInterval() {
			return this.clientTimeoutInterval;
		}

		public void setClientTimeoutInterval(@Nullable Duration clientTimeoutInterval) {
			this.clientTimeoutInterval = clientTimeoutInterval;
		}

		public @Nullable Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(@Nullable Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		public @Nullable DataSize getMaximumReceiveMessageSize() {
			return this.maximumReceiveMessageSize;
		}

		public void setMaximumReceiveMessageSize(@Nullable DataSize maximumReceiveMessageSize) {
			this.maximumReceiveMessageSize = maximumReceiveMessageSize;
		}

		public @Nullable Integer getMaximumParallelInvocationsPerClient() {
			return this.maximumParallelInvocationsPerClient;
		}

		public void setMaximumParallelInvocationsPerClient(@Nullable Integer maximumParallelInvocationsPerClient) {
			this.maximumParallelInvocationsPerClient = maximumParallelInvocationsPerClient;
		}

		public @Nullable Boolean getEnableDetailedErrors() {
			return this.enableDetailedErrors;
		}

		public void setEnableDetailedErrors(@Nullable Boolean enableDetailedErrors) {
			this.enableDetailedErrors = enableDetailedErrors;
		}

		public @Nullable Integer getStreamBufferCapacity() {
			return this.streamBufferCapacity;
		}

		public void setStreamBufferCapacity(@Nullable Integer streamBufferCapacity) {
			this.streamBufferCapacity = streamBufferCapacity;
		}

		public @Nullable Duration getClientResultTimeout() {
			return this.clientResultTimeout;
		}

		public void setClientResultTimeout(@Nullable Duration clientResultTimeout) {
			this.clientResultTimeout = clientResultTimeout;
		}

		public @Nullable DataSize getStatefulReconnectBufferSize() {
			return this.statefulReconnectBufferSize;
		}

		public void setStatefulReconnectBufferSize(@Nullable DataSize statefulReconnectBufferSize) {
			this.statefulReconnectBufferSize = statefulReconnectBufferSize;
		}

		/**
		 * Authentication refresh for this hub; the global signalr.authentication-refresh.* unless set.
		 */
		@NestedConfigurationProperty
		private final SignalRAuthenticationRefreshProperties authenticationRefresh = new SignalRAuthenticationRefreshProperties();

		public SignalRAuthenticationRefreshProperties getAuthenticationRefresh() {
			return this.authenticationRefresh;
		}

		public List<String> getSupportedProtocols() {
			return this.supportedProtocols;
		}

		public void setSupportedProtocols(List<String> supportedProtocols) {
			this.supportedProtocols = supportedProtocols;
		}

		public boolean isAuthenticated() {
			return this.authenticated;
		}

		public void setAuthenticated(boolean authenticated) {
			this.authenticated = authenticated;
		}

		public List<String> getAuthorities() {
			return this.authorities;
		}

		public void setAuthorities(List<String> authorities) {
			this.authorities = authorities;
		}

	}

}
