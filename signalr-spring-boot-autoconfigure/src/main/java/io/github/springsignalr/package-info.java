/**
 * The public API of SignalR for Spring Boot, small and named as in ASP.NET Core SignalR:
 * {@link Hub @Hub} beans and {@link HubMethodName}, what hub methods receive ({@link HubCallerContext},
 * {@link HubCallerClients}, {@link GroupManager}), {@link HubContext} for sending from anywhere,
 * {@link HubFilter}, {@link HubException}, and the raw {@link Connection} / {@link ConnectionHandler} API.
 * It sits right above {@code protocol} and uses nothing else of the library; the layers in the
 * subpackages implement and call these types.
 */
@NullMarked
package io.github.springsignalr;

import org.jspecify.annotations.NullMarked;
