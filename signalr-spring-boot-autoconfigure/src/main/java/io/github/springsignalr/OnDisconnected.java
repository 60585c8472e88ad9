package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hub method that runs when a connection ends. Besides the parameters the framework supplies
 * to hub methods it may take a {@link Throwable}: the cause when the connection ended with an error,
 * {@code null} otherwise. Clients cannot call it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnected {
}
