package io.github.springsignalr;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean as a SignalR hub served at {@link #value() a path}. Its public methods can be called by
 * clients by name (case-insensitively, as ASP.NET Core matches them); methods annotated with
 * {@link OnConnected} or {@link OnDisconnected} run when a client connects or leaves.
 *
 * <p>Hubs are singletons: per-call state comes in as method parameters ({@link HubCallerContext},
 * {@link HubCallerClients}, {@link GroupManager}, {@link java.security.Principal}, and what
 * {@link HubMethodArgumentResolver} beans supply), which are not counted among the arguments a client
 * sends. A parameter that is neither keeps the application from starting.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface Hub {

	/**
	 * Path of the hub, e.g. {@code /chat}; negotiate is served at {@code {path}/negotiate}. A missing
	 * leading slash is added; a value that cannot be a path (a query, a pattern, a space) keeps the
	 * application from starting.
	 */
	@AliasFor("path")
	String value() default "";

	/** Alias of {@link #value()}. */
	@AliasFor("value")
	String path() default "";

	/** Name of the hub in logs and metrics; the class's simple name by default. */
	String name() default "";

	/**
	 * Transports clients may use for this hub, within those {@code signalr.transports} allows; all of
	 * those by default.
	 */
	TransportType[] transports() default {};

	/**
	 * Filters for this hub only, run after the global {@link HubFilter} beans in the order given; each is
	 * the application's bean of that class, or created and autowired when there is none.
	 */
	Class<? extends HubFilter>[] filters() default {};
}
