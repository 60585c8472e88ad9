package io.github.springsignalr;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** What a hub method knows about the connection that called it. */
public interface HubCallerContext {

	/** Public id of the connection. */
	String connectionId();

	/** Authenticated user, if any. */
	@Nullable Principal user();

	/** Identifier used by {@link HubClients#user(String)}, from the {@link UserIdProvider}. */
	@Nullable String userIdentifier();

	/** State kept for the lifetime of the connection. */
	Map<Object, Object> items();

	/** The HTTP request that established the connection's transport. */
	ConnectionRequest request();

	/** Transport in use. */
	TransportType transport();

	/** Ends the connection. */
	void abort();
}
