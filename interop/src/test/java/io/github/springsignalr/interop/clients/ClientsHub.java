package io.github.springsignalr.interop.clients;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Groups, callbacks and uploads for the clients other than the official JavaScript one, at
 * {@code /clients-hub}. Every text sent to clients goes to the target {@code "Message"}.
 */
@Hub("/clients-hub")
public class ClientsHub {

	static final String MESSAGE = "Message";

	private final ClientsHubJoins joins;

	public ClientsHub(ClientsHubJoins joins) {
		this.joins = joins;
	}

	public String getCallerConnectionId(HubCallerContext context) {
		return context.connectionId();
	}

	public Mono<Void> joinGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), group);
	}

	/** Joins {@code group} and then records that the client called {@code label} is in it. */
	public Mono<Void> joinAs(String group, String label, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), group)
			.then(Mono.fromRunnable(() -> this.joins.joined(group, label)));
	}

	public Mono<Void> leaveGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), group);
	}

	public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
		return clients.group(group).send(MESSAGE, message);
	}

	public Mono<Void> sendToConnection(String connectionId, String message, HubCallerClients clients) {
		return clients.client(connectionId).send(MESSAGE, message);
	}

	/**
	 * Concatenates an upload and sends the text to the caller: pysignalr and signalrcore start uploads
	 * without an invocation id, so a return value would never reach them.
	 */
	public Mono<Void> concatToCaller(Flux<String> items, HubCallerClients clients) {
		return items.collect(StringBuilder::new, StringBuilder::append)
			.flatMap((text) -> clients.caller().send(MESSAGE, text.toString()));
	}
}
