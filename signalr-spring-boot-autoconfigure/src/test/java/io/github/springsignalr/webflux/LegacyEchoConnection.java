package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;

/**
 * The conformance fixture's persistent {@code EchoConnection} at {@code /echo}: welcomes each connection,
 * echoes what it receives, and obeys {@code join:<group>}, {@code group:<group>:<text>} and
 * {@code all:<text>}.
 */
@ConnectionMapping("/echo")
class LegacyEchoConnection implements ConnectionHandler {

	final List<String> connected = new CopyOnWriteArrayList<>();

	final List<String> disconnected = new CopyOnWriteArrayList<>();

	@Override
	public Mono<Void> onConnected(Connection connection) {
		this.connected.add(connection.id());
		connection.send("Welcome!".getBytes(StandardCharsets.UTF_8));
		return Mono.empty();
	}

	@Override
	public Mono<Void> onReceived(Connection connection, byte[] data) {
		String text = new String(data, StandardCharsets.UTF_8);
		if (text.startsWith("join:")) {
			connection.connections().addToGroup(connection.id(), text.substring(5));
		}
		else if (text.startsWith("group:")) {
			String[] parts = text.split(":", 3);
			connection.connections().sendToGroup(parts[1], parts[2].getBytes(StandardCharsets.UTF_8), List.of());
		}
		else if (text.startsWith("all:")) {
			connection.connections().broadcast(text.substring(4).getBytes(StandardCharsets.UTF_8));
		}
		else {
			connection.send(data);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
		this.disconnected.add(connection.id() + ":" + ((error != null) ? error.getClass().getSimpleName() : null));
		return Mono.empty();
	}
}
