package io.github.springsignalr.interop;

import java.time.Duration;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Sends numbered messages, for checking that stateful reconnect loses and duplicates none. */
@Hub("/reconnecthub")
public class ReconnectHub {

	/** Sends {@code Number(1..count)} to the caller, a batch every few milliseconds. */
	public Mono<Void> sendNumbers(int count, HubCallerClients clients) {
		Flux.range(1, count)
			.buffer(100)
			.delayElements(Duration.ofMillis(5))
			.subscribe((batch) -> batch.forEach((number) -> clients.caller().send("Number", number)));
		return Mono.empty();
	}
}
