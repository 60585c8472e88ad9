package io.github.springsignalr.test;

import java.time.Duration;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A small application whose hub exercises what {@link HubTester} can check. */
@SpringBootApplication
class TestHubApplication {

	/** A value with structure, to see arguments and results read as records. */
	record Reading(String sensor, double value) {
	}

	@Hub("/lab")
	static class LabHub {

		public int add(int a, int b) {
			return a + b;
		}

		public Reading latest(String sensor) {
			return new Reading(sensor, 21.5);
		}

		public void refuse(String why) {
			throw new HubException("Refused: " + why);
		}

		public Flux<Integer> countTo(int n) {
			return Flux.range(1, n);
		}

		public Flux<Long> forever() {
			return Flux.interval(Duration.ofMillis(20));
		}

		public Mono<Void> join(String room, HubCallerContext context, GroupManager groups) {
			return groups.addToGroup(context.connectionId(), room);
		}

		public Mono<Void> say(String room, String text, HubCallerClients clients) {
			return clients.group(room).send("Said", room, text);
		}

		public Mono<Void> report(Reading reading, HubCallerClients clients) {
			return clients.caller().send("Reported", reading);
		}

		public void leave(HubCallerContext context) {
			context.abort();
		}

		public Mono<String> askName(HubCallerClients clients) {
			return clients.caller().invoke("GetName", String.class).map((name) -> "Hello " + name);
		}
	}
}
