package io.github.springsignalr.bench.signalr;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Our SignalR starter serving {@link BenchHub} at {@code /bench}, on WebFlux (module {@code server-signalr}) or on
 * Spring MVC and Tomcat (module {@code server-signalr-servlet}, built from these sources). Usage:
 * {@code java -jar server-signalr[-servlet].jar --server.port=<port> [--signalr.backplane=redis
 * --signalr.redis.url=redis://127.0.0.1:<port>]}; prints {@code READY <port>} once listening.
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

	@Bean
	ApplicationListener<WebServerInitializedEvent> readyAnnouncer() {
		return (event) -> System.out.println("READY " + event.getWebServer().getPort());
	}
}
