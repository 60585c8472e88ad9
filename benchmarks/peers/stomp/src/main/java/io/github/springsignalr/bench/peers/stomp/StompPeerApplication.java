package io.github.springsignalr.bench.peers.stomp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Benchmark peer: Spring's STOMP simple broker on the servlet stack (Tomcat), endpoint {@code /stomp} over plain
 * WebSocket. Usage: {@code java -jar bench-peer-stomp.jar <port>}; prints {@code READY <port>} once listening.
 */
@SpringBootApplication
public class StompPeerApplication implements ApplicationListener<WebServerInitializedEvent> {

	public static void main(String[] args) {
		if (args.length != 1) {
			System.err.println("usage: bench-peer-stomp <port>");
			System.exit(2);
		}
		SpringApplication app = new SpringApplication(StompPeerApplication.class);
		app.setDefaultProperties(java.util.Map.of("server.port", Integer.parseInt(args[0])));
		app.run();
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		System.out.println("READY " + event.getWebServer().getPort());
		System.out.flush();
	}
}
