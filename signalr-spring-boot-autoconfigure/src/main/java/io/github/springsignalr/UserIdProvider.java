package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

/**
 * Decides the user identifier of a connection, used by {@link HubClients#user(String)}. The default
 * is the principal's name; declare a bean of this type to replace it.
 */
@FunctionalInterface
public interface UserIdProvider {

	/** The user identifier of the connection, or {@code null} for none. */
	@Nullable String getUserId(Connection connection);
}
