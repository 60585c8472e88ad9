package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hub method that runs when a connection's credentials were refreshed without reconnecting
 * (ASP.NET Core 11's authentication refresh, {@code signalr.authentication-refresh.enabled}), as the
 * reference's {@code Hub.OnAuthenticationRefreshedAsync}: {@link HubCallerContext#user()} is the new
 * principal. It may take the parameters the framework supplies to hub methods and return {@code void},
 * a {@code Mono} or a {@code CompletionStage}. Clients cannot call it.
 * @since 1.2
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnAuthenticationRefreshed {
}
