package io.github.springsignalr.interop.signalr4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;

/** A hub signalr4j calls through the legacy endpoint, recording its connection events. */
@Hub(value = "/legacy-java", name = "LegacyJavaHub")
public class LegacyJavaHub {

	final List<String> connected = new CopyOnWriteArrayList<>();

	final List<String> disconnected = new CopyOnWriteArrayList<>();

	public String echo(String message) {
		return message;
	}

	public int add(int x, int y) {
		return x + y;
	}

	public Mono<Void> send(String name, String message, HubCallerClients clients) {
		return clients.all().send("addMessage", name, message);
	}

	public void throwHub() {
		throw HubException.withErrorData("boom", Map.of("ErrorNumber", 42));
	}

	@OnConnected
	public void onConnected(HubCallerContext caller) {
		this.connected.add(caller.connectionId());
	}

	@OnDisconnected
	public void onDisconnected(HubCallerContext caller, @Nullable Throwable cause) {
		this.disconnected.add(caller.connectionId() + ":" + ((cause != null) ? cause.getClass().getSimpleName() : null));
	}
}
