package io.github.springsignalr.hub;

/**
 * A wire protocol whose clients cannot return client results (the classic ASP.NET SignalR 2 one has no
 * way to answer a server's invocation): asking one of its connections for a result fails at once, here
 * or on the node that owns the connection, with the protocol's own words.
 */
public interface WithoutClientResults {

	/** Why a client result asked of connection {@code connectionId} fails. */
	String clientResultsRefused(String connectionId);
}
