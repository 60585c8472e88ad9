package io.github.springsignalr.webflux;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.OnReconnected;
import reactor.core.publisher.Mono;

/** The conformance fixture's ChatHub, in part, counting its connection events. */
@Hub(value = "/chat", name = "ChatHub")
class LegacyChatHub {

	final List<String> connected = new CopyOnWriteArrayList<>();

	final List<String> disconnected = new CopyOnWriteArrayList<>();

	final List<String> reconnected = new CopyOnWriteArrayList<>();

	public String echo(String message) {
		return message;
	}

	public int add(int x, int y) {
		return x + y;
	}

	public Mono<Void> send(String name, String message, HubCallerClients clients) {
		return clients.all().send("addMessage", name, message);
	}

	public Mono<Void> sendToClient(String connectionId, String message, HubCallerClients clients) {
		return clients.client(connectionId).send("addMessage", "direct", message);
	}

	public Mono<Void> joinGroup(String group, GroupManager groups, HubCallerContext caller) {
		return groups.addToGroup(caller.connectionId(), group);
	}

	public void throwHub() {
		throw HubException.withErrorData("boom", Map.of("ErrorNumber", 42));
	}

	@io.github.springsignalr.HubMethodName("Throw")
	public void throwPlain() {
		throw new IllegalStateException("secret");
	}

	@OnConnected
	public void onConnected(HubCallerContext caller) {
		this.connected.add(caller.connectionId());
	}

	@OnReconnected
	public void onReconnected(HubCallerContext caller) {
		this.reconnected.add(caller.connectionId());
	}

	@OnDisconnected
	public void onDisconnected(HubCallerContext caller, @Nullable Throwable cause) {
		this.disconnected.add(caller.connectionId() + ":" + ((cause != null) ? cause.getClass().getSimpleName() : null));
	}

	long connectedCount(String id) {
		return this.connected.stream().filter(id::equals).count();
	}
}
