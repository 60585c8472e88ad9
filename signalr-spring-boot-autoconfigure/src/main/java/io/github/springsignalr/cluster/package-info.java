/**
 * Scale-out without sticky sessions, whatever the store: every connection token starts with the id of
 * the node that owns the connection, and the {@link NodeDirectory} says where each node can be reached.
 * The web-stack adapters forward a transport request that reaches another node to its owner;
 * {@code redis} provides the directory.
 */
@NullMarked
package io.github.springsignalr.cluster;

import org.jspecify.annotations.NullMarked;
