package io.github.springsignalr.bench.signalr;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Our SignalR starter serving {@link BenchHub} at {@code /bench}. Usage:
 * {@code java -jar server-signalr.jar --server.port=<port> [--signalr.backplane=redis
 * --signalr.redis.url=redis://127.0.0.1:<port>]}; prints {@code READY <port>} once listening.
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

	@Bean
	ApplicationListener<ReactiveWebServerInitializedEvent> readyAnnouncer() {
		return (event) -> System.out.println("READY " + event.getWebServer().getPort());
	}
}
