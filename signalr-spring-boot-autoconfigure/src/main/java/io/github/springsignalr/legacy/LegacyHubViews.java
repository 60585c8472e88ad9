package io.github.springsignalr.legacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hubs of one classic connection: a {@link LegacyHubConnection} per hub, opened on the hub's handler
 * when first needed (the hubs listed in {@code connectionData}, and those invoked without being listed),
 * and their lifecycle: OnConnected once for the listed hubs, OnReconnected, OnDisconnected once for those
 * that connected.
 */
final class LegacyHubViews {

	private final LegacyConnection connection;

	/** By lower-case hub name. */
	private final Map<String, LegacyHubConnection> views = new ConcurrentHashMap<>();

	private final AtomicBoolean opened = new AtomicBoolean();

	private final AtomicBoolean connected = new AtomicBoolean();

	private volatile List<LegacyHubConnection> listed = List.of();

	LegacyHubViews(LegacyConnection connection) {
		this.connection = connection;
	}

	/** Opens the listed hubs, once; {@code false} when they were opened before. */
	boolean open(List<LegacyHub> hubs) {
		if (!this.opened.compareAndSet(false, true)) {
			return false;
		}
		List<LegacyHubConnection> opened = new ArrayList<>(hubs.size());
		for (LegacyHub hub : hubs) {
			opened.add(view(hub));
		}
		this.listed = List.copyOf(opened);
		return true;
	}

	/** The view of a hub, opened now if it was not. */
	LegacyHubConnection view(LegacyHub hub) {
		return this.views.computeIfAbsent(hub.name().toLowerCase(Locale.ROOT), (key) -> {
			LegacyHubConnection view = new LegacyHubConnection(this.connection, hub);
			view.context(hub.handler().open(view, hub.protocol()));
			return view;
		});
	}

	/** The view of a hub (by lower-case name) if it is open. */
	@Nullable LegacyHubConnection find(String hub) {
		return this.views.get(hub);
	}

	/** The heartbeat of the hubs' timers (authentication expiry), once a second. */
	void tick() {
		for (LegacyHubConnection view : this.views.values()) {
			view.tick();
		}
	}

	/** Makes the connection reachable through the listed hubs and runs their OnConnected, once. */
	Mono<Void> connected() {
		if (!this.connected.compareAndSet(false, true)) {
			return Mono.empty();
		}
		return Flux.fromIterable(this.listed).concatMap((view) -> {
			view.started();
			return view.hub().handler().start(view.context());
		}).then();
	}

	/** Runs the OnReconnected of the hubs that connected. */
	Mono<Void> reconnected() {
		return Flux.fromIterable(this.listed)
			.filter(LegacyHubConnection::isStarted)
			.concatMap((view) -> view.hub().handler().dispatcher().onReconnected(view.context()))
			.then();
	}

	/** Runs the OnDisconnected of the hubs that connected (with {@code cause}) and leaves their lifetime managers. */
	Mono<Void> disconnected(@Nullable Throwable cause) {
		List<LegacyHubConnection> started = this.views.values().stream().filter(LegacyHubConnection::isStarted).toList();
		return Flux.fromIterable(started).concatMap((view) -> {
			view.ended(cause);
			return view.hub().handler().onDisconnected(view, cause);
		}).then();
	}
}
