package io.github.springsignalr.connection;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.protocol.JsonStrings;

/**
 * ASP.NET Core 11's authentication refresh, whatever the web stack: how long the caller's credentials
 * live (negotiate's {@code tokenLifetimeSeconds}) and the answer to {@code POST {path}/refresh}, which
 * replaces the principal of an open connection with the request's, with the reference's statuses and
 * {@code error} codes. The web adapters read the request (its method, connection token and user, once the
 * hub's authorization let it through) and write the {@link Answer}.
 */
public final class AuthenticationRefresh {

	private static final Log logger = LogFactory.getLog(AuthenticationRefresh.class);

	private final ConnectionManager connections;

	private final Predicate<ConnectionRoute> enabled;

	private final Function<Principal, @Nullable Instant> expiration;

	private final AuthenticationRefreshPolicy policy;

	/**
	 * @param enabled the endpoints with refresh
	 * @param expiration when a principal's credentials expire ({@code null}: never or unknown)
	 * @param policy what the application says to each refresh
	 */
	public AuthenticationRefresh(ConnectionManager connections, Predicate<ConnectionRoute> enabled,
			Function<Principal, @Nullable Instant> expiration, AuthenticationRefreshPolicy policy) {
		this.connections = connections;
		this.enabled = enabled;
		this.expiration = expiration;
		this.policy = policy;
	}

	/** Refresh nowhere. */
	public static AuthenticationRefresh disabled(ConnectionManager connections) {
		return new AuthenticationRefresh(connections, (endpoint) -> false, (user) -> null,
				AuthenticationRefreshPolicy.ACCEPT_ALL);
	}

	/** A JSON answer to a refresh: its HTTP status and body. */
	public record Answer(int status, String json) {
	}

	/** Whether {@code {path}/refresh} is served for the endpoint. */
	public boolean enabled(ConnectionRoute endpoint) {
		return this.enabled.test(endpoint);
	}

	/** Negotiate's {@code tokenLifetimeSeconds}: whole seconds the caller's credentials still live, if known. */
	public @Nullable Integer tokenLifetimeSeconds(ConnectionRoute endpoint, @Nullable Principal user) {
		if (user == null || !enabled(endpoint)) {
			return null;
		}
		return secondsLeft(user);
	}

	private @Nullable Integer secondsLeft(Principal user) {
		Instant expiry = this.expiration.apply(user);
		if (expiry == null) {
			return null;
		}
		long seconds = Duration.between(Instant.now(), expiry).getSeconds();
		return (seconds > 0) ? (int) Math.min(seconds, Integer.MAX_VALUE) : null;
	}

	/**
	 * The answer to a {@code POST {path}/refresh} the hub's authorization let through. Asks the
	 * application's {@link AuthenticationRefreshPolicy}, which may block: call it where blocking is fine.
	 * @param token the connection token (the {@code id} query parameter, else the
	 * {@code X-SignalR-Connection-Token} header)
	 * @param user the request's authenticated principal, {@code null} when there is none
	 */
	public Answer refresh(ConnectionRoute endpoint, @Nullable String token, @Nullable Principal user) {
		if (token == null || token.isEmpty()) {
			return error(400, "missing_connection_token", "The 'id' query string parameter is required.");
		}
		HttpConnection connection = this.connections.get(token);
		if (connection == null || connection.route() != endpoint || connection.isClosed()) {
			return notFound();
		}
		if (user == null) {
			return error(401, "invalid_token", "Authentication failed.");
		}
		if (!Objects.equals(connection.owner(), user.getName())) {
			// another user's credentials never attach to the connection, which goes on untouched
			return userChanged();
		}
		if (!allowed(endpoint, connection, user)) {
			return error(403, "refresh_rejected", "The application rejected the authentication refresh.");
		}
		if (!connection.refreshUser(user)) {
			return connection.isClosed() ? notFound() : userChanged();
		}
		StringBuilder json = new StringBuilder(128).append("{\"connectionId\":");
		JsonStrings.quote(json, connection.id()).append(",\"refreshedAt\":\"")
			.append(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.append('"');
		Integer lifetime = secondsLeft(user);
		if (lifetime != null) {
			json.append(",\"tokenLifetimeSeconds\":").append(lifetime);
		}
		return new Answer(200, json.append('}').toString());
	}

	private boolean allowed(ConnectionRoute endpoint, HttpConnection connection, Principal user) {
		if (this.policy == AuthenticationRefreshPolicy.ACCEPT_ALL) {
			return true;
		}
		try {
			return this.policy.allow(new AuthenticationRefreshPolicy.Refresh(endpoint.name(), connection.id(),
					connection.user(), user));
		}
		catch (RuntimeException ex) {
			logger.warn("The authentication refresh policy failed for connection " + connection.id() + " of hub "
					+ endpoint.name() + "; the refresh is rejected", ex);
			return false;
		}
	}

	private static Answer notFound() {
		return error(404, "connection_not_found", "No active connection with the specified ID.");
	}

	private static Answer userChanged() {
		return error(403, "user_changed", "The refreshed credentials belong to another user than the connection's.");
	}

	private static Answer error(int status, String error, String description) {
		StringBuilder json = new StringBuilder(128).append("{\"error\":");
		JsonStrings.quote(json, error).append(",\"error_description\":");
		JsonStrings.quote(json, description).append('}');
		return new Answer(status, json.toString());
	}
}
