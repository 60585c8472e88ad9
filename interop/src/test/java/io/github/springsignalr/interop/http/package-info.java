/**
 * The server's HTTP limits over raw sockets: read timeouts (keep-alive, request headers, request body
 * data rate) that spare streaming transports, and the maximum number of connections.
 */
@NullMarked
package io.github.springsignalr.interop.http;

import org.jspecify.annotations.NullMarked;
