package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * Intercepts hub method invocations and connection events, like ASP.NET Core's {@code IHubFilter}
 * and Spring GraphQL's interceptors: each filter decides whether and how to call the next one. Declare
 * filters as beans; they apply to every hub in {@link org.springframework.core.Ordered} order.
 */
public interface HubFilter {

	/**
	 * Around one invocation of a hub method.
	 * @return the method's result; empty for {@code void} or {@code null}
	 */
	default Mono<Object> invoke(HubInvocationContext invocation, InvocationChain chain) {
		return chain.next(invocation);
	}

	/** Around a hub's {@link OnConnected} callback (called even when the hub has none). */
	default Mono<Void> onConnected(HubCallerContext context, LifecycleChain chain) {
		return chain.next(context, null);
	}

	/** Around a hub's {@link OnDisconnected} callback (called even when the hub has none). */
	default Mono<Void> onDisconnected(HubCallerContext context, @Nullable Throwable cause, LifecycleChain chain) {
		return chain.next(context, cause);
	}

	/** The rest of the chain of an invocation: the next filter, then the method. */
	@FunctionalInterface
	interface InvocationChain {

		Mono<Object> next(HubInvocationContext invocation);
	}

	/** The rest of the chain of a connection event: the next filter, then the hub's callback. */
	@FunctionalInterface
	interface LifecycleChain {

		Mono<Void> next(HubCallerContext context, @Nullable Throwable cause);
	}
}
