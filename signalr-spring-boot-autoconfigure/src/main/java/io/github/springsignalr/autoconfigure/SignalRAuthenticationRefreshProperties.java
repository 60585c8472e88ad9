package io.github.springsignalr.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Authentication refresh settings (ASP.NET Core 11's {@code EnableAuthenticationRefresh}): a client
 * replaces the credentials of its open connection with {@code POST {hub}/refresh} instead of
 * reconnecting when its token expires.
 *
 * <p>The {@code signalr.authentication-refresh.*} group of {@link SignalRProperties}, and the
 * {@code signalr.hubs.<name>.authentication-refresh.*} group of one hub, which overrides it.
 */
public class SignalRAuthenticationRefreshProperties {

	/**
	 * Whether clients may refresh the credentials of an open connection: negotiate reports the lifetime
	 * of a bearer token and {hub path}/refresh is served. Off unless set; for one hub, the global setting
	 * unless set.
	 */
	private @Nullable Boolean enabled;

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	/** Whether refresh is on for a hub with these settings, given the global ones. */
	boolean enabledFor(SignalRAuthenticationRefreshProperties global) {
		Boolean enabled = this.enabled;
		return (enabled != null) ? enabled : Boolean.TRUE.equals(global.enabled);
	}

}
