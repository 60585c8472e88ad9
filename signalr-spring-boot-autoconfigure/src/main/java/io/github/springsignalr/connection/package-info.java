/**
 * The HTTP connection layer, unaware of hubs: negotiate, connection ids and tokens, one
 * {@link io.github.springsignalr.Connection} abstraction over every transport with a bounded outbound
 * queue, and the clean-up of connections that never connect.
 */
@NullMarked
package io.github.springsignalr.connection;

import org.jspecify.annotations.NullMarked;
