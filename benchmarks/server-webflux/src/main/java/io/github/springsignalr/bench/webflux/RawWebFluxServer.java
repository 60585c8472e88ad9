package io.github.springsignalr.bench.webflux;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * A Spring Boot WebFlux application serving {@link RawWebSocketHandler} at {@code /raw}. Usage:
 * {@code java -jar server-webflux.jar --server.port=<port>}; prints {@code READY <port>} once listening.
 */
@SpringBootApplication
public class RawWebFluxServer {

	public static void main(String[] args) {
		SpringApplication.run(RawWebFluxServer.class, args);
	}

	@Bean
	HandlerMapping rawWebSocketMapping() {
		return new SimpleUrlHandlerMapping(Map.of("/raw", new RawWebSocketHandler()), -1);
	}

	@Bean
	ApplicationListener<ReactiveWebServerInitializedEvent> readyAnnouncer() {
		return (event) -> System.out.println("READY " + event.getWebServer().getPort());
	}
}
