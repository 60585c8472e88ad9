package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hub method that runs when a client of the classic ASP.NET SignalR 2 protocol comes back on a
 * new transport with the same connection ({@code /reconnect}): its groups and its messages sent
 * meanwhile are kept, and {@link OnConnected} does not run again. It may take the parameters the
 * framework supplies to hub methods and return {@code void}, a {@code Mono} or a {@code CompletionStage}.
 * Clients cannot call it. (ASP.NET Core clients never reconnect with the same connection this way.)
 * @since 1.1
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnReconnected {
}
