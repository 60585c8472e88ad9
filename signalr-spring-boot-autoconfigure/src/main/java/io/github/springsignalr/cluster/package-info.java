/**
 * Scale-out without sticky sessions: every connection token names the node that owns the connection,
 * and a transport request reaching another node is forwarded to the owner.
 */
@NullMarked
package io.github.springsignalr.cluster;

import org.jspecify.annotations.NullMarked;
