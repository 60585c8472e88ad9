package io.github.springsignalr.samples.chat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.OnDisconnected;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chat hub of the SignalR tutorials, served at {@code /chat}.
 *
 * <p>Clients call {@code SendMessage(user, message)} to talk to everyone, and {@code JoinRoom(room)},
 * {@code LeaveRoom(room)} and {@code SendToRoom(room, user, message)} to talk in rooms (hub groups).
 * Messages arrive as {@code ReceiveMessage(user, message)}; room members are told about arrivals and
 * departures with {@code UserJoined(user, room)} and {@code UserLeft(user, room)}.
 *
 * <p>Those announcements need a name the hub knows by itself: the caller's
 * {@link HubCallerContext#userIdentifier() user identifier} when the connection is authenticated,
 * otherwise the {@code name} query parameter of the hub URL ({@code /chat?name=Ada}), otherwise the
 * connection id.
 */
@Hub("/chat")
public class ChatHub {

	/** Key in {@link HubCallerContext#items()} of the rooms a connection has joined. */
	private static final String ROOMS = "chat.rooms";

	public Mono<Void> sendMessage(String user, String message, HubClients clients) {
		return clients.all().send("ReceiveMessage", user, message);
	}

	public Mono<Void> joinRoom(String room, HubCallerContext context, HubCallerClients clients,
			GroupManager groups) {
		rooms(context).add(room);
		return groups.addToGroup(context.connectionId(), room)
			.then(clients.group(room).send("UserJoined", userName(context), room));
	}

	public Mono<Void> leaveRoom(String room, HubCallerContext context, HubCallerClients clients,
			GroupManager groups) {
		rooms(context).remove(room);
		// announced before leaving, so the leaver sees its own departure like the others do
		return clients.group(room).send("UserLeft", userName(context), room)
			.then(groups.removeFromGroup(context.connectionId(), room));
	}

	public Mono<Void> sendToRoom(String room, String user, String message, HubClients clients) {
		return clients.group(room).send("ReceiveMessage", user, message);
	}

	/** A closed connection has already left its groups: tell the rooms it was in. */
	@OnDisconnected
	public Mono<Void> announceDeparture(HubCallerContext context, HubClients clients) {
		String user = userName(context);
		return Flux.fromIterable(rooms(context))
			.concatMap((room) -> clients.group(room).send("UserLeft", user, room))
			.then();
	}

	static String userName(HubCallerContext context) {
		String identifier = context.userIdentifier();
		if (identifier != null) {
			return identifier;
		}
		String name = context.request().queryParams().getFirst("name");
		if (name != null && !name.isBlank()) {
			return name.strip();
		}
		return context.connectionId();
	}

	@SuppressWarnings("unchecked")
	private static Set<String> rooms(HubCallerContext context) {
		return (Set<String>) context.items().computeIfAbsent(ROOMS, (key) -> ConcurrentHashMap.newKeySet());
	}
}
