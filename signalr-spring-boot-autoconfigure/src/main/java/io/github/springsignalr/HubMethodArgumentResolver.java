package io.github.springsignalr;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;

/**
 * Supplies hub method parameters that clients do not send, like Spring MVC's
 * {@code HandlerMethodArgumentResolver}: the application's beans of this type are asked, in
 * {@link org.springframework.core.Ordered} order, about each parameter once at startup, and the one that
 * supports it supplies its value on every call. Those parameters are not counted among the arguments a
 * client sends. With Spring Security, {@code @AuthenticationPrincipal} parameters and OAuth 2 tokens
 * ({@code Jwt}) are supplied this way.
 *
 * <p>A parameter that no resolver supports, that SignalR does not supply itself and that a client
 * cannot send (a {@code ServerWebExchange}, say) keeps the application from starting.
 *
 * @since 1.2
 */
public interface HubMethodArgumentResolver {

	/** Whether this resolver supplies the parameter; asked once per parameter, at startup. */
	boolean supportsParameter(MethodParameter parameter);

	/**
	 * The value of a supported parameter for one call.
	 * @param parameter the parameter, as given to {@link #supportsParameter}
	 * @param caller the connection calling the method
	 */
	@Nullable Object resolveArgument(MethodParameter parameter, HubCallerContext caller);

}
