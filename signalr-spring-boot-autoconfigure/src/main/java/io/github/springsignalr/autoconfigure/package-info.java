/**
 * Spring Boot auto-configuration of SignalR endpoints and the {@code signalr.*} properties.
 */
@NullMarked
package io.github.springsignalr.autoconfigure;

import org.jspecify.annotations.NullMarked;
