package io.github.springsignalr.interop.javaclient;

import org.springframework.stereotype.Component;

import io.github.springsignalr.HubContext;
import reactor.core.publisher.Mono;

/** Sends to {@link JavaHub}'s clients from outside the hub, through an injected {@link HubContext}. */
@Component
public class JavaHubNotifier {

	private final HubContext<JavaHub> hubContext;

	public JavaHubNotifier(HubContext<JavaHub> hubContext) {
		this.hubContext = hubContext;
	}

	public Mono<Void> toAll(String target, String message) {
		return this.hubContext.clients().all().send(target, message);
	}

	public Mono<Void> toGroup(String group, String message) {
		return this.hubContext.clients().group(group).send("Message", message);
	}

	public Mono<Void> toUser(String user, String message) {
		return this.hubContext.clients().user(user).send("Message", message);
	}

	public Mono<Void> toConnection(String connectionId, String message) {
		return this.hubContext.clients().client(connectionId).send("Message", message);
	}

	public Mono<Void> addToGroup(String connectionId, String group) {
		return this.hubContext.groups().addToGroup(connectionId, group);
	}
}
