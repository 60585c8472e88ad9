package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Cross-origin settings for browser clients; the same allowed origins are checked on WebSocket
 * upgrades and Server-Sent Events streams. Until origins are given, only same-origin browsers may
 * use the hubs with their cookies: a WebSocket or Server-Sent Events request carrying cookies from
 * another origin is refused with 403 (requests without cookies, e.g. with bearer tokens, are not).
 *
 * <p>The {@code signalr.cors.*} group of {@link SignalRProperties}.
 */
public class SignalRCorsProperties {

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
