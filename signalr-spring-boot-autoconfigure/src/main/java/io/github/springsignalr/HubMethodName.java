package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Gives a hub method the name clients call it by, instead of the Java method's name. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HubMethodName {

	/** Name clients use; matched case-insensitively. */
	String value();
}
