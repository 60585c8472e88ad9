package io.github.springsignalr;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether an open connection may take refreshed credentials (ASP.NET Core 11's
 * authentication refresh, the reference's {@code OnAuthenticationRefresh}): declare a bean of this type
 * to reject a refresh the application no longer wants, for instance when the user's roles were revoked.
 * It runs after the refresh request was authenticated and found to be of the connection's own user
 * (another user's is always refused), before the connection's principal is replaced; a rejected refresh
 * is answered 403 and the connection keeps its principal until it expires. It may block (it runs on a
 * thread of its own); an exception rejects the refresh.
 * @since 1.2
 */
@FunctionalInterface
public interface AuthenticationRefreshPolicy {

	/** Accepts every refresh of the connection's own user. */
	AuthenticationRefreshPolicy ACCEPT_ALL = (refresh) -> true;

	/** Whether the connection may take the refreshed principal. */
	boolean allow(Refresh refresh);

	/**
	 * One refresh of a connection's credentials.
	 * @param hubName the hub of the connection
	 * @param connectionId the public id of the connection
	 * @param currentUser the principal the connection has now
	 * @param newUser the principal of the refresh request, which would replace it
	 */
	record Refresh(String hubName, String connectionId, @Nullable Principal currentUser, Principal newUser) {
	}
}
