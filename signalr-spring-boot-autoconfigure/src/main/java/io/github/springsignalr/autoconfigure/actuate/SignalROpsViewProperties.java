package io.github.springsignalr.autoconfigure.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the operator view ({@code signalr.ops-view.*}): a page that polls the {@code signalr}
 * Actuator endpoint and draws connections and message rates as they change.
 */
@ConfigurationProperties("signalr.ops-view")
public class SignalROpsViewProperties {

	/**
	 * Whether to serve the operator view, a self-contained page that charts the hubs' connections by
	 * transport and their messages per second, read every second from the signalr Actuator endpoint (which
	 * must be exposed over HTTP; the page sends the browser's cookies, or a bearer token it is given).
	 */
	private boolean enabled;

	/**
	 * Path of the operator view's page.
	 */
	private String path = "/ops.html";

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
}
