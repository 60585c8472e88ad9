/**
 * The {@link io.github.springsignalr.lifetime.HubLifetimeManager} SPI through which every message
 * reaches connections, its in-memory implementation, and the client proxies built on it.
 */
@NullMarked
package io.github.springsignalr.lifetime;

import org.jspecify.annotations.NullMarked;
