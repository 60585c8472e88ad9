/**
 * Spring Boot auto-configuration of the endpoint for clients of the classic ASP.NET SignalR 2
 * ({@code signalr.legacy.*}): off unless {@code signalr.legacy.enabled=true}.
 */
@NullMarked
package io.github.springsignalr.autoconfigure.legacy;

import org.jspecify.annotations.NullMarked;
