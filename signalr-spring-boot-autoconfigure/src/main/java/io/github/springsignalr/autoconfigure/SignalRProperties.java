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

	/**
	 * Settings of one hub.
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
