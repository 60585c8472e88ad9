package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hub method that runs when a client has completed its handshake, before any of its
 * invocations. It may take the parameters the framework supplies to hub methods and return
 * {@code void}, a {@code Mono} or a {@code CompletionStage}. Clients cannot call it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnected {
}
