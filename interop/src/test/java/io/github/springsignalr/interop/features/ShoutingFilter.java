package io.github.springsignalr.interop.features;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

import io.github.springsignalr.HubException;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;
import reactor.core.publisher.Mono;

/**
 * A filter for {@link FeaturesHub#filteredEcho}: upper-cases the argument, refuses "secret" with a
 * {@link HubException} without calling the method, and appends "!" to the outcome it observes.
 */
@Component
public class ShoutingFilter implements HubFilter {

	@Override
	public Mono<Object> invoke(HubInvocationContext invocation, InvocationChain chain) {
		if (!(invocation.hub() instanceof FeaturesHub) || !"FilteredEcho".equalsIgnoreCase(invocation.methodName())) {
			return chain.next(invocation);
		}
		String argument = String.valueOf(invocation.arguments().get(0));
		if (argument.equals("secret")) {
			return Mono.error(new HubException("filtered out"));
		}
		HubInvocationContext louder = new HubInvocationContext(invocation.hubName(), invocation.hub(),
				invocation.method(), invocation.methodName(), List.of(argument.toUpperCase(Locale.ROOT)),
				invocation.context(), invocation.invocationId(), invocation.headers());
		return chain.next(louder).map((result) -> result + "!");
	}
}
