package io.github.springsignalr.samples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat sample: one hub at {@code /chat} and a page at {@code /} that uses it, and the same hub for the
 * classic ASP.NET SignalR 2 jQuery client at {@code /signalr} with its page {@code /legacy.html}.
 */
@SpringBootApplication
public class ChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChatApplication.class, args);
	}
}
