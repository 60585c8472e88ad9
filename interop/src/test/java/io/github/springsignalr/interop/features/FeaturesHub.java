package io.github.springsignalr.interop.features;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubMethodName;
import reactor.core.publisher.Mono;

/** Client results, typed client proxies and a filtered method, at {@code /features}. */
@Hub("/features")
public class FeaturesHub {

	/** What a client of this hub can be asked to do, as a Java interface. */
	public interface FeatureClient {

		Mono<Void> notify(String text);

		@HubMethodName("Compute")
		Mono<Integer> compute(int value);
	}

	/**
	 * Asks the caller itself for a number and answers with it plus one: with one invocation at a time
	 * per client this would deadlock if the slot were not released while the server waits.
	 */
	public Mono<Integer> askCaller(HubCallerClients clients) {
		return clients.caller().invoke("GetNumber", Integer.class).map((number) -> number + 1);
	}

	/** Uses the caller through {@link FeatureClient}: a notification, then a result. */
	public Mono<Integer> typedRoundTrip(int value, HubCallerClients clients) {
		FeatureClient caller = clients.caller().as(FeatureClient.class);
		return caller.notify("computing " + value).then(caller.compute(value));
	}

	/** Echoes; {@link ShoutingFilter} changes its argument and short-circuits it for "secret". */
	public String filteredEcho(String message) {
		return message;
	}
}
