package io.github.springsignalr.cluster;

import java.net.URI;

import reactor.core.publisher.Mono;

/**
 * Where the nodes of a scaled-out application can be reached: this node's id, which starts the
 * connection tokens it hands out, and the advertised base URL of any node by id.
 */
public interface NodeDirectory {

	/**
	 * This node's id: letters, digits, {@code -} and {@code _}, never a {@code .} (which ends it in a
	 * token).
	 */
	String localNodeId();

	/**
	 * The base URL of a node ({@code scheme://host:port}), empty when the node is unknown (never
	 * registered, or gone long enough for its registration to expire). Fails, soon, when the node cannot
	 * be looked up now (the directory is unreachable or does not answer).
	 */
	Mono<URI> locate(String nodeId);

}
