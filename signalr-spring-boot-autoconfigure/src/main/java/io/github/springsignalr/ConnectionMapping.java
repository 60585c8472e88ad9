package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/** Maps a {@link ConnectionHandler} bean to a path, e.g. {@code @ConnectionMapping("/echo")}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface ConnectionMapping {

	/** Path of the endpoint; negotiate is served at {@code {path}/negotiate}. */
	@AliasFor("path")
	String value() default "";

	/** Alias of {@link #value()}. */
	@AliasFor("value")
	String path() default "";
}
