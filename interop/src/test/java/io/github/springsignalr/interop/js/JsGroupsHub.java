package io.github.springsignalr.interop.js;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import reactor.core.publisher.Mono;

/**
 * A hub for the group, user and targeting scenarios of the JavaScript client tests. Every send invokes
 * {@code Message} on the clients with the given text.
 */
@Hub("/js-groups")
public class JsGroupsHub {

	static final String MESSAGE = "Message";

	public Mono<Void> joinGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), group);
	}

	public Mono<Void> leaveGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), group);
	}

	public Mono<Void> sendToGroup(String group, String message, HubCallerClients clients) {
		return clients.group(group).send(MESSAGE, message);
	}

	public Mono<Void> sendToGroups(String first, String second, String message, HubCallerClients clients) {
		return clients.groups(first, second).send(MESSAGE, message);
	}

	public Mono<Void> sendToOthersInGroup(String group, String message, HubCallerClients clients) {
		return clients.othersInGroup(group).send(MESSAGE, message);
	}

	public Mono<Void> sendToGroupExcept(String group, String excludedConnectionId, String message,
			HubCallerClients clients) {
		return clients.groupExcept(group, excludedConnectionId).send(MESSAGE, message);
	}

	public Mono<Void> sendToOthers(String message, HubCallerClients clients) {
		return clients.others().send(MESSAGE, message);
	}

	public Mono<Void> sendToAll(String message, HubCallerClients clients) {
		return clients.all().send(MESSAGE, message);
	}

	public Mono<Void> sendToAllExcept(String excludedConnectionId, String message, HubCallerClients clients) {
		return clients.allExcept(excludedConnectionId).send(MESSAGE, message);
	}

	public Mono<Void> sendToUser(String user, String message, HubCallerClients clients) {
		return clients.user(user).send(MESSAGE, message);
	}

	public Mono<Void> sendToUsers(String first, String second, String message, HubCallerClients clients) {
		return clients.users(first, second).send(MESSAGE, message);
	}

	public Mono<Void> sendToConnection(String connectionId, String message, HubCallerClients clients) {
		return clients.client(connectionId).send(MESSAGE, message);
	}

	public Mono<Void> sendToCaller(String message, HubCallerClients clients) {
		return clients.caller().send(MESSAGE, message);
	}

	public String getCallerConnectionId(HubCallerContext context) {
		return context.connectionId();
	}

	public @Nullable String getUserIdentifier(HubCallerContext context) {
		return context.userIdentifier();
	}
}
