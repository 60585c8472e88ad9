package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that turns an exception of hub methods into the error their caller sees, in one place,
 * like Spring's {@code @MessageExceptionHandler}: declared in a hub, it handles that hub's methods;
 * declared in a {@link HubAdvice} bean, every hub's (a hub's own handlers are preferred). The handler
 * closest to the exception's type wins.
 *
 * <p>The method takes the exception and, optionally, the {@link HubCallerContext}; it returns the text
 * the client sees (as a {@link HubException}'s message, which reaches the client even with detailed
 * errors off) or the exception to fail the invocation with, or it throws one. For example:
 * <pre>{@code
 * @HubExceptionHandler
 * String outOfStock(OutOfStockException ex) {
 *     return "Sorry, " + ex.item() + " is sold out";
 * }
 * }</pre>
 * The client then sees {@code An unexpected error occurred invoking 'Order' on the server.
 * HubException: Sorry, tea is sold out}, and the server logs the exception at DEBUG instead of ERROR.
 * Handler methods are not hub methods: clients cannot call them.
 *
 * @since 1.2
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HubExceptionHandler {

	/** The exceptions handled; by default the type of the method's exception parameter. */
	Class<? extends Throwable>[] value() default {};

}
