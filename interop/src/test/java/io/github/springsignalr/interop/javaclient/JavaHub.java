package io.github.springsignalr.interop.javaclient;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubMethodName;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import reactor.core.publisher.Mono;

/**
 * Test hub for the Java client tests: lifecycle callbacks, groups, users, framework-supplied
 * parameters, renamed methods and aborting. Every message to clients goes to the target
 * {@code "Message"} unless stated otherwise.
 */
@Hub("/java-hub")
public class JavaHub {

	private final JavaHubEvents events;

	public JavaHub(JavaHubEvents events) {
		this.events = events;
	}

	/** Records the connection and sends its id to the caller as {@code "Welcome"}. */
	@OnConnected
	public Mono<Void> welcome(HubCallerContext context, HubCallerClients clients) {
		this.events.connected(context.connectionId());
		return clients.caller().send("Welcome", context.connectionId());
	}

	@OnDisconnected
	public void farewell(HubCallerContext context, @Nullable Throwable cause) {
		this.events.disconnected(context.connectionId(), cause);
	}

	public Mono<Void> joinGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), group);
	}

	public Mono<Void> leaveGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), group);
	}

	public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
		return clients.group(group).send("Message", message);
	}

	public Mono<Void> sendToOthersInGroup(String group, String message, HubCallerClients clients) {
		return clients.othersInGroup(group).send("Message", message);
	}

	public Mono<Void> sendToOthers(String message, HubCallerClients clients) {
		return clients.others().send("Message", message);
	}

	public Mono<Void> sendToAll(String message, HubCallerClients clients) {
		return clients.all().send("Message", message);
	}

	public Mono<Void> sendToUser(String user, String message, HubCallerClients clients) {
		return clients.user(user).send("Message", message);
	}

	public @Nullable String getUserIdentifier(HubCallerContext context) {
		return context.userIdentifier();
	}

	public int getDisconnectedCount() {
		return this.events.disconnectedCount();
	}

	public void recordNote(String note) {
		this.events.note(note);
	}

	/**
	 * Takes one client argument besides three framework-supplied ones: puts the caller in a group of
	 * its own, sends {@code label} to that group and returns {@code label@connectionId}.
	 */
	public Mono<String> describeCaller(String label, HubCallerContext context, GroupManager groups,
			HubCallerClients clients) {
		String group = "described-" + context.connectionId();
		return groups.addToGroup(context.connectionId(), group)
				.then(Mono.defer(() -> clients.group(group).send("Message", label)))
				.thenReturn(label + "@" + context.connectionId());
	}

	@HubMethodName("Renamed")
	public String originalName() {
		return "renamed";
	}

	public void abortConnection(HubCallerContext context) {
		context.abort();
	}
}
