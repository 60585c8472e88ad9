package io.github.springsignalr.autoconfigure.actuate;

import java.util.HashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code signalr} Actuator endpoint.
 */
@ConfigurationProperties("management.endpoint.signalr")
public class SignalREndpointProperties {

	/**
	 * When to list connections one by one, with their ids and user names.
	 */
	private Show showDetails = Show.NEVER;

	/**
	 * Roles allowed to see the connections when show-details is when-authorized; any authenticated
	 * user when empty.
	 */
	private Set<String> roles = new HashSet<>();

	public Show getShowDetails() {
		return this.showDetails;
	}

	public void setShowDetails(Show showDetails) {
		this.showDetails = showDetails;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}
}
