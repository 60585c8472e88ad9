package io.github.springsignalr.webmvc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.OnDisconnected;

/**
 * A Spring MVC application on Tomcat with one hub: what the servlet tests drive with real clients.
 */
@SpringBootApplication
public class TomcatHubApplication {

	/** Echoes, broadcasts, streams and blocks, as a user's hub would. */
	@Hub("/echo")
	public static class EchoHub {

		/** Connections that ended, for the tests to wait on. */
		public final AtomicInteger disconnected = new AtomicInteger();

		public String echo(String message) {
			return message;
		}

		/** A method that blocks (runs off the container's threads). */
		public String slowEcho(String message) throws InterruptedException {
			Thread.sleep(50);
			return message;
		}

		public Mono<Void> broadcast(String message, HubClients clients) {
			return clients.all().send("Broadcast", message);
		}

		public Mono<Void> whoAmI(HubCallerContext context, HubCallerClients clients) {
			return clients.caller().send("You", context.connectionId());
		}

		public Flux<Integer> count(int to) {
			return Flux.range(1, to).delayElements(Duration.ofMillis(5));
		}

		@OnDisconnected
		public void gone() {
			this.disconnected.incrementAndGet();
		}

	}
}
