package io.github.springsignalr.interop.javaclient;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** What {@link JavaHub} saw happen: connections, disconnections and notes, for the tests to inspect. */
@Component
public class JavaHubEvents {

	private final List<String> connected = new CopyOnWriteArrayList<>();

	private final List<Disconnect> disconnected = new CopyOnWriteArrayList<>();

	private final List<String> notes = new CopyOnWriteArrayList<>();

	void connected(String connectionId) {
		this.connected.add(connectionId);
	}

	void disconnected(String connectionId, @Nullable Throwable cause) {
		this.disconnected.add(new Disconnect(connectionId, cause));
	}

	void note(String note) {
		this.notes.add(note);
	}

	/** Ids of the connections whose {@code @OnConnected} callback ran, in order. */
	public List<String> connectedIds() {
		return List.copyOf(this.connected);
	}

	/** How many {@code @OnDisconnected} callbacks ran. */
	public int disconnectedCount() {
		return this.disconnected.size();
	}

	/** The disconnection of a connection, if its {@code @OnDisconnected} callback ran. */
	public Optional<Disconnect> disconnectOf(String connectionId) {
		return this.disconnected.stream().filter((disconnect) -> disconnect.connectionId().equals(connectionId))
				.findFirst();
	}

	/** Notes recorded by {@link JavaHub#recordNote(String)}, in order. */
	public List<String> notes() {
		return List.copyOf(this.notes);
	}

	/** One {@code @OnDisconnected} callback: the connection and the cause it was given. */
	public record Disconnect(String connectionId, @Nullable Throwable cause) {
	}
}
