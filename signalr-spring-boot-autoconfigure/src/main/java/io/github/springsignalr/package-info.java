/**
 * The public API of SignalR for Spring Boot: {@link io.github.springsignalr.Hub @Hub} beans, what they
 * receive ({@link io.github.springsignalr.HubCallerContext}, {@link io.github.springsignalr.HubCallerClients},
 * {@link io.github.springsignalr.GroupManager}), {@link io.github.springsignalr.HubContext} for sending
 * from anywhere, and the raw {@link io.github.springsignalr.ConnectionHandler} API.
 */
@NullMarked
package io.github.springsignalr;

import org.jspecify.annotations.NullMarked;
