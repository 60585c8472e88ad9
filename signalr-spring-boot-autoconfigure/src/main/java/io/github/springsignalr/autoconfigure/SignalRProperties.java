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
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;

import io.github.springsignalr.TransportType;

/**
 * Configuration of SignalR endpoints ({@code signalr.*}). Every default is the one ASP.NET Core
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
	 * Backplane connecting the nodes of a scaled-out application; "redis" is the same as
	 * signalr.redis.enabled=true.
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

	private final Http http = new Http();

	private final Cors cors = new Cors();

	private final Hub hub = new Hub();

	private final WebSocket websocket = new WebSocket();

	private final LongPolling longPolling = new LongPolling();

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

	public Http getHttp() {
		return this.http;
	}

	public Cors getCors() {
		return this.cors;
	}

	public Hub getHub() {
		return this.hub;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public LongPolling getLongPolling() {
		return this.longPolling;
	}

	/**
	 * Hub runtime settings.
	 */
	public static class Hub {

		/**
		 * Interval after which a Ping is sent to a client when nothing else was sent.
		 */
		private Duration keepAliveInterval = Duration.ofSeconds(15);

		/**
		 * Time a client may stay silent, once it has sent its first Ping, before it is disconnected.
		 */
		private Duration clientTimeoutInterval = Duration.ofSeconds(30);

		/**
		 * Time a client has to complete the handshake.
		 */
		private Duration handshakeTimeout = Duration.ofSeconds(15);

		/**
		 * Largest hub message accepted from a client.
		 */
		private DataSize maximumReceiveMessageSize = DataSize.ofKilobytes(32);

		/**
		 * Number of non-streaming invocations of one client that run at the same time.
		 */
		private int maximumParallelInvocationsPerClient = 1;

		/**
		 * Whether exception types and messages are sent to clients in error texts.
		 */
		private boolean enableDetailedErrors;

		/**
		 * Number of items buffered for each client-to-server stream.
		 */
		private int streamBufferCapacity = 10;

		/**
		 * Hub protocols clients may choose (json, messagepack); all by default.
		 */
		private List<String> supportedProtocols = new ArrayList<>();

		public List<String> getSupportedProtocols() {
			return this.supportedProtocols;
		}

		public void setSupportedProtocols(List<String> supportedProtocols) {
			this.supportedProtocols = supportedProtocols;
		}

		/**
		 * How long the server waits for a client's result of a server-to-client invocation; no limit by
		 * default, as in ASP.NET Core, where a client that never answers keeps the caller waiting until it
		 * disconnects.
		 */
		private @Nullable Duration clientResultTimeout;

		/**
		 * Bytes sent to a stateful-reconnect client and not yet acknowledged that the server keeps for a
		 * replay; further sends to that client wait for its Ack (which it sends about once a second), and
		 * a client that falls further behind than the outbound buffer size is disconnected.
		 */
		private DataSize statefulReconnectBufferSize = DataSize.ofBytes(100_000);

		public DataSize getStatefulReconnectBufferSize() {
			return this.statefulReconnectBufferSize;
		}

		public void setStatefulReconnectBufferSize(DataSize statefulReconnectBufferSize) {
			this.statefulReconnectBufferSize = statefulReconnectBufferSize;
		}

		public @Nullable Duration getClientResultTimeout() {
			return this.clientResultTimeout;
		}

		public void setClientResultTimeout(@Nullable Duration clientResultTimeout) {
			this.clientResultTimeout = clientResultTimeout;
		}

		public Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

		public Duration getClientTimeoutInterval() {
			return this.clientTimeoutInterval;
		}

		public void setClientTimeoutInterval(Duration clientTimeoutInterval) {
			this.clientTimeoutInterval = clientTimeoutInterval;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		public DataSize getMaximumReceiveMessageSize() {
			return this.maximumReceiveMessageSize;
		}

		public void setMaximumReceiveMessageSize(DataSize maximumReceiveMessageSize) {
			this.maximumReceiveMessageSize = maximumReceiveMessageSize;
		}

		public int getMaximumParallelInvocationsPerClient() {
			return this.maximumParallelInvocationsPerClient;
		}

		public void setMaximumParallelInvocationsPerClient(int maximumParallelInvocationsPerClient) {
			this.maximumParallelInvocationsPerClient = maximumParallelInvocationsPerClient;
		}

		public boolean isEnableDetailedErrors() {
			return this.enableDetailedErrors;
		}

		public void setEnableDetailedErrors(boolean enableDetailedErrors) {
			this.enableDetailedErrors = enableDetailedErrors;
		}

		public int getStreamBufferCapacity() {
			return this.streamBufferCapacity;
		}

		public void setStreamBufferCapacity(int streamBufferCapacity) {
			this.streamBufferCapacity = streamBufferCapacity;
		}

	}

	/**
	 * WebSocket transport settings.
	 */
	public static class WebSocket {

		/**
		 * Largest WebSocket message, or long-polling or Server-Sent Events POST body, accepted from a client;
		 * one may carry several hub messages. A larger message closes the socket with 1009; a larger POST is
		 * answered 413 and closes the connection with the Close of invalid data.
		 */
		private DataSize maxFrameSize = DataSize.ofMegabytes(1);

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

	}

	/**
	 * Long-polling transport settings.
	 */
	public static class LongPolling {

		/**
		 * How long a poll is held open when there is nothing to send.
		 */
		private Duration pollTimeout = Duration.ofSeconds(90);

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

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

	/**
	 * Cross-origin settings for browser clients; the same allowed origins are checked on WebSocket
	 * upgrades and Server-Sent Events streams. Until origins are given, only same-origin browsers may
	 * use the hubs with their cookies: a WebSocket or Server-Sent Events request carrying cookies from
	 * another origin is refused with 403 (requests without cookies, e.g. with bearer tokens, are not).
	 */
	public static class Cors {

		/**
		 * Origins allowed to call the hubs, e.g. https://example.com.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Origin patterns allowed to call the hubs, e.g. https://*.example.com; unlike allowed origins
		 * they work with credentials.
		 */
		private List<String> allowedOriginPatterns = new ArrayList<>();

		/**
		 * HTTP methods allowed; the ones SignalR uses by default.
		 */
		private List<String> allowedMethods = new ArrayList<>(List.of("GET", "POST", "DELETE", "OPTIONS"));

		/**
		 * Request headers allowed; '*' allows those SignalR clients send (Authorization,
		 * X-Requested-With, X-SignalR-User-Agent, Content-Type).
		 */
		private List<String> allowedHeaders = new ArrayList<>(List.of("*"));

		/**
		 * Response headers exposed to the browser.
		 */
		private List<String> exposedHeaders = new ArrayList<>();

		/**
		 * Whether credentials (cookies, Authorization) are allowed; SignalR's browser client sends them.
		 */
		private boolean allowCredentials = true;

		/**
		 * How long a browser may cache a pre-flight answer.
		 */
		private Duration maxAge = Duration.ofMinutes(30);

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public List<String> getAllowedOriginPatterns() {
			return this.allowedOriginPatterns;
		}

		public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
			this.allowedOriginPatterns = allowedOriginPatterns;
		}

		public List<String> getAllowedMethods() {
			return this.allowedMethods;
		}

		public void setAllowedMethods(List<String> allowedMethods) {
			this.allowedMethods = allowedMethods;
		}

		public List<String> getAllowedHeaders() {
			return this.allowedHeaders;
		}

		public void setAllowedHeaders(List<String> allowedHeaders) {
			this.allowedHeaders = allowedHeaders;
		}

		public List<String> getExposedHeaders() {
			return this.exposedHeaders;
		}

		public void setExposedHeaders(List<String> exposedHeaders) {
			this.exposedHeaders = exposedHeaders;
		}

		public boolean isAllowCredentials() {
			return this.allowCredentials;
		}

		public void setAllowCredentials(boolean allowCredentials) {
			this.allowCredentials = allowCredentials;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		/** The configuration to apply, or {@code null} when no origin is allowed. */
		public @Nullable CorsConfiguration toCorsConfiguration() {
			if (this.allowedOrigins.isEmpty() && this.allowedOriginPatterns.isEmpty()) {
				return null;
			}
			CorsConfiguration configuration = new CorsConfiguration();
			configuration.setAllowedOrigins(this.allowedOrigins);
			configuration.setAllowedOriginPatterns(this.allowedOriginPatterns);
			configuration.setAllowedMethods(this.allowedMethods);
			configuration.setAllowedHeaders(this.allowedHeaders);
			configuration.setExposedHeaders(this.exposedHeaders);
			configuration.setAllowCredentials(this.allowCredentials);
			configuration.setMaxAge(this.maxAge);
			return configuration;
		}

	}

	/**
	 * HTTP/1.1 read limits of the Reactor Netty server (Kestrel's defaults), for every request that is
	 * not an upgraded WebSocket or a response being streamed (Server-Sent Events, a held long poll). A
	 * zero turns a limit off.
	 */
	public static class Http {

		/**
		 * Longest time a connection stays open without a request.
		 */
		private Duration keepAliveTimeout = Duration.ofSeconds(130);

		/**
		 * Longest time from a request's first byte to the end of its headers; a request over it gets 408.
		 */
		private Duration requestHeadersTimeout = Duration.ofSeconds(30);

		/**
		 * Fewest request body bytes per second, averaged since the headers; a slower body gets 408.
		 */
		private long minRequestBodyDataRate = 240;

		/**
		 * Time a request body is given before its data rate is checked.
		 */
		private Duration minRequestBodyDataRateGracePeriod = Duration.ofSeconds(5);

		public Duration getKeepAliveTimeout() {
			return this.keepAliveTimeout;
		}

		public void setKeepAliveTimeout(Duration keepAliveTimeout) {
			this.keepAliveTimeout = keepAliveTimeout;
		}

		public Duration getRequestHeadersTimeout() {
			return this.requestHeadersTimeout;
		}

		public void setRequestHeadersTimeout(Duration requestHeadersTimeout) {
			this.requestHeadersTimeout = requestHeadersTimeout;
		}

		public long getMinRequestBodyDataRate() {
			return this.minRequestBodyDataRate;
		}

		public void setMinRequestBodyDataRate(long minRequestBodyDataRate) {
			this.minRequestBodyDataRate = minRequestBodyDataRate;
		}

		public Duration getMinRequestBodyDataRateGracePeriod() {
			return this.minRequestBodyDataRateGracePeriod;
		}

		public void setMinRequestBodyDataRateGracePeriod(Duration minRequestBodyDataRateGracePeriod) {
			this.minRequestBodyDataRateGracePeriod = minRequestBodyDataRateGracePeriod;
		}

	}

}
