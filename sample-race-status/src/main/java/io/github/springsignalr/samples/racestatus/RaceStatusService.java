package io.github.springsignalr.samples.racestatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import io.github.springsignalr.ClientProxy;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.samples.racestatus.model.InCarPayload;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the simulated events on one thread and publishes what changes, as RedMist's StatusHub does:
 * <ul>
 * <li>V1 ({@code ReceiveMessage} to group {@code "{eventId}"}): a full status, gzip-compressed and base64
 * encoded, to each new subscriber and periodically to all; in between, JSON patches against it as
 * {@code {"t":"patch","patches":[...]}}. A subscriber waiting for its first full status gets no patches
 * (they would not apply), and everything it gets afterwards applies to what it has.</li>
 * <li>V2 (group {@code "evt{eventId}-sub"}): {@code ReceiveSessionPatch} and {@code ReceiveCarPatches} with
 * only the changed fields set, {@code ReceiveReset} when a new session starts.</li>
 * <li>Control logs: the full log to {@code "{eventId}-cl"}, a car's entries to {@code "{eventId}-{car}"}
 * ({@code ReceiveControlLog}).</li>
 * <li>In-car: {@code ReceiveInCarUpdateV2} to {@code "in-car-evt-{eventId}-car-{car}v2"} and, gzip+base64,
 * {@code ReceiveInCarUpdate} to {@code "in-car-evt-{eventId}-car-{car}"}.</li>
 * </ul>
 * Changes within one tick of the simulation go out as one patch per message kind. With the Redis
 * backplane, the simulator runs on one node and its messages reach every node's clients; what a new
 * subscriber on another node must get at once (full status, control log, in-car data) that node asks for
 * through {@link RaceRelay}.
 */
@Service
class RaceStatusService implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RaceStatusService.class);

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final HubContext<StatusHub> hub;

	private final JsonMapper json;

	private final RaceProperties properties;

	private final Map<Integer, DemoEvent> events = new LinkedHashMap<>();

	/** Per event, connections subscribed but still waiting for their first full status. */
	private final Map<Integer, Set<String>> awaitingFullStatus = new ConcurrentHashMap<>();

	/** The simulations and what clients were last told, touched only on the simulator thread. */
	private final Map<Integer, Published> published = new HashMap<>();

	private final @Nullable RaceRelay relay;

	private volatile @Nullable ScheduledExecutorService simulator;

	RaceStatusService(HubContext<StatusHub> hub, JsonMapper json, RaceProperties properties,
			ObjectProvider<RaceRelay> relay) {
		this.hub = hub;
		this.json = json;
		this.properties = properties;
		this.relay = relay.getIfAvailable();
		for (DemoEvent event : DemoEvent.defaults()) {
			this.events.put(event.eventId(), event);
		}
	}

	/** What clients of one event were last sent: the baselines of the next patches. */
	private static final class Published {

		final RaceSimulation simulation;

		JsonNode payload;

		JsonNode session;

		Map<String, JsonNode> cars = new HashMap<>();

		final Map<String, InCarPayload> inCar = new HashMap<>();

		Published(RaceSimulation simulation, JsonNode payload, JsonNode session) {
			this.simulation = simulation;
			this.payload = payload;
			this.session = session;
		}
	}

	static String eventGroup(int eventId) {
		return Integer.toString(eventId);
	}

	static String eventGroupV2(int eventId) {
		return "evt" + eventId + "-sub";
	}

	static String controlLogGroup(int eventId) {
		return eventId + "-cl";
	}

	static String carControlLogGroup(int eventId, String carNumber) {
		return eventId + "-" + carNumber;
	}

	static String inCarGroup(int eventId, String carNumber) {
		return "in-car-evt-" + eventId + "-car-" + carNumber;
	}

	static String inCarGroupV2(int eventId, String carNumber) {
		return inCarGroup(eventId, carNumber) + "v2";
	}

	/**
	 * Checks that an event runs and that the caller may see it.
	 * @throws HubException otherwise, with the text clients see
	 */
	void checkAccess(int eventId, @Nullable String accessCode) {
		if (!this.events.containsKey(eventId)) {
			throw new HubException("Event " + eventId + " is not running.");
		}
		String required = this.properties.accessCode(eventId);
		if (required != null && !required.equals(accessCode)) {
			throw new HubException("Access code required or invalid for this event.");
		}
	}

	/** The ids and names of the events. */
	Map<Integer, String> events() {
		Map<Integer, String> names = new LinkedHashMap<>();
		this.events.forEach((id, event) -> names.put(id, event.name()));
		return names;
	}

	/** Notes a connection that is joining an event's group and must get a full status before patches. */
	void awaitFullStatus(int eventId, String connectionId) {
		this.awaitingFullStatus.computeIfAbsent(eventId, (id) -> ConcurrentHashMap.newKeySet()).add(connectionId);
	}

	/** Forgets a connection that will not get its full status (subscription failed, connection gone). */
	void forget(String connectionId) {
		this.awaitingFullStatus.values().forEach((ids) -> ids.remove(connectionId));
	}

	/**
	 * Adds a connection to the event's V1 group with the full status first and only then patches. On a
	 * node without the simulator, the simulator's node does it (through {@link RaceRelay}).
	 */
	Mono<Void> followEvent(int eventId, String connectionId) {
		if (this.simulator == null) {
			return (this.relay != null)
					? this.relay.request(new RaceRelay.Request(RaceRelay.Kind.EVENT, eventId, "", connectionId))
					: this.hub.groups().addToGroup(connectionId, eventGroup(eventId));
		}
		awaitFullStatus(eventId, connectionId);
		return this.hub.groups()
			.addToGroup(connectionId, eventGroup(eventId))
			.then(sendFullStatus(eventId, connectionId))
			.doOnError((ex) -> forget(connectionId))
			.doOnCancel(() -> forget(connectionId));
	}

	/** Carries out a request of a node without the simulator. */
	private Mono<String> serveRelayed(RaceRelay.Request request) {
		String car = request.carNumber();
		switch (request.kind()) {
			case EVENT:
				return followEvent(request.eventId(), request.connectionId()).then(Mono.empty());
			case CONTROL_LOG:
				return sendControlLog(request.eventId(), car.isEmpty() ? null : car, request.connectionId())
					.then(Mono.empty());
			case CHECK_CAR:
				return checkCar(request.eventId(), car).then(Mono.empty());
			case IN_CAR:
				return sendInCar(request.eventId(), car, false, request.connectionId()).then(Mono.empty());
			case SESSION_STATE:
				return currentSessionState(request.eventId()).map(this.json::writeValueAsString);
			case LEGACY_PAYLOAD:
				return currentPayload(request.eventId()).map(this.json::writeValueAsString);
			default:
				return sendInCar(request.eventId(), car, true, request.connectionId()).then(Mono.empty());
		}
	}

	/** Sends the full status to a connection that joined the event's group, and from then its patches. */
	private Mono<Void> sendFullStatus(int eventId, String connectionId) {
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			if (event != null) {
				this.hub.clients().client(connectionId).send("ReceiveMessage", compress(event.payload));
			}
			Set<String> waiting = this.awaitingFullStatus.get(eventId);
			if (waiting != null) {
				waiting.remove(connectionId);
			}
			return null;
		}).then();
	}

	/** Sends a connection the current control log of an event, or of one car. */
	Mono<Void> sendControlLog(int eventId, @Nullable String carNumber, String connectionId) {
		if (this.simulator == null && this.relay != null) {
			return this.relay.request(new RaceRelay.Request(RaceRelay.Kind.CONTROL_LOG, eventId,
					(carNumber != null) ? carNumber : "", connectionId));
		}
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			if (event != null) {
				this.hub.clients().client(connectionId).send("ReceiveControlLog", (carNumber != null)
						? event.simulation.controlLog(carNumber) : event.simulation.controlLog());
			}
			return null;
		}).then();
	}

	/** Sends a connection what a driver's display shows now. */
	Mono<Void> sendInCar(int eventId, String carNumber, boolean v2, String connectionId) {
		if (this.simulator == null && this.relay != null) {
			return this.relay.request(new RaceRelay.Request(v2 ? RaceRelay.Kind.IN_CAR_V2 : RaceRelay.Kind.IN_CAR,
					eventId, carNumber, connectionId));
		}
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			InCarPayload payload = (event != null) ? event.simulation.inCar(carNumber) : null;
			if (payload != null) {
				if (v2) {
					this.hub.clients().client(connectionId).send("ReceiveInCarUpdateV2", payload);
				}
				else {
					this.hub.clients()
						.client(connectionId)
						.send("ReceiveInCarUpdate", compress(this.json.valueToTree(payload)));
				}
			}
			return null;
		}).then();
	}

	/** Checks that a car is entered in an event (asking the simulator's node on other nodes). */
	Mono<Void> checkCar(int eventId, String carNumber) {
		if (this.simulator == null && this.relay != null) {
			return this.relay.request(new RaceRelay.Request(RaceRelay.Kind.CHECK_CAR, eventId, carNumber, ""));
		}
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			if (event != null && !event.simulation.hasCar(carNumber)) {
				throw new HubException("Car " + carNumber + " is not entered in event " + eventId + ".");
			}
			return null;
		}).then();
	}

	/**
	 * The V1 status clients of an event hold now (full plus patches), from the simulator's node; empty
	 * for an unknown event or when no node runs the simulator.
	 */
	Mono<JsonNode> currentPayload(int eventId) {
		if (this.simulator == null && this.relay != null) {
			return fromSimulatorNode(RaceRelay.Kind.LEGACY_PAYLOAD, eventId);
		}
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			return (event != null) ? event.payload : null;
		});
	}

	/**
	 * The V2 session state clients of an event hold now, from the simulator's node; empty for an unknown
	 * event or when no node runs the simulator.
	 */
	Mono<JsonNode> currentSessionState(int eventId) {
		if (this.simulator == null && this.relay != null) {
			return fromSimulatorNode(RaceRelay.Kind.SESSION_STATE, eventId);
		}
		return onSimulator(() -> {
			Published event = this.published.get(eventId);
			return (event != null) ? this.json.valueToTree(event.simulation.sessionState()) : null;
		});
	}

	private Mono<JsonNode> fromSimulatorNode(RaceRelay.Kind kind, int eventId) {
		RaceRelay relay = this.relay;
		if (relay == null) {
			return Mono.empty();
		}
		return relay.query(new RaceRelay.Request(kind, eventId, "", ""))
			.map(this.json::readTree)
			.onErrorResume(HubException.class, (ex) -> Mono.empty());
	}

	private <T> Mono<T> onSimulator(Supplier<@Nullable T> task) {
		ScheduledExecutorService executor = this.simulator;
		if (executor == null) {
			return Mono.empty();
		}
		return Mono.fromFuture(() -> CompletableFuture.supplyAsync(task, executor));
	}

	@Override
	public void start() {
		RaceProperties.Simulator settings = this.properties.simulator();
		if (!settings.enabled()) {
			logger.info("Race simulator disabled on this node; statuses come from the node that runs it");
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "race-simulator");
			thread.setDaemon(true);
			return thread;
		});
		executor.execute(() -> {
			for (DemoEvent event : this.events.values()) {
				RaceSimulation simulation = new RaceSimulation(event, event.eventId());
				simulation.advance(settings.headStart().toMillis());
				this.published.put(event.eventId(), new Published(simulation,
						this.json.valueToTree(simulation.payload()), sessionWithoutCars(simulation)));
			}
		});
		long tick = Math.max(1, settings.tick().toMillis());
		long simulated = Math.round(tick * settings.speed());
		executor.scheduleWithFixedDelay(() -> guarded(() -> tick(simulated)), tick, tick, TimeUnit.MILLISECONDS);
		long full = Math.max(1, settings.fullStatusInterval().toMillis());
		executor.scheduleWithFixedDelay(() -> guarded(this::sendFullStatusToAll), full, full, TimeUnit.MILLISECONDS);
		this.simulator = executor;
		if (this.relay != null) {
			this.relay.serve(this::serveRelayed);
		}
		logger.info("Race simulator running events " + this.events.keySet() + " at " + settings.speed() + "x");
	}

	private static void guarded(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			logger.error("Race simulator step failed", ex);
		}
	}

	private void tick(long simulatedMillis) {
		for (Published event : this.published.values()) {
			boolean reset = event.simulation.advance(simulatedMillis);
			publish(event, reset);
		}
	}

	private void publish(Published event, boolean reset) {
		int eventId = event.simulation.eventId();
		HubClients clients = this.hub.clients();
		JsonNode payload = this.json.valueToTree(event.simulation.payload());
		if (reset) {
			event.payload = payload;
			event.session = sessionWithoutCars(event.simulation);
			event.cars = new HashMap<>();
			clients.group(eventGroupV2(eventId)).send("ReceiveReset");
			v1Subscribers(eventId).send("ReceiveMessage", compress(payload));
			clients.group(controlLogGroup(eventId)).send("ReceiveControlLog", event.simulation.controlLog());
		}
		else {
			ArrayNode operations = NODES.arrayNode();
			JsonPatches.diff(event.payload, payload, "", operations);
			if (!operations.isEmpty()) {
				ObjectNode patch = NODES.objectNode();
				patch.put("t", "patch");
				patch.set("patches", operations);
				v1Subscribers(eventId).send("ReceiveMessage", this.json.writeValueAsString(patch));
				event.payload = payload;
			}
			publishV2(event, clients);
		}
		publishControlLogs(event, clients);
		publishInCar(event, clients);
	}

	private void publishV2(Published event, HubClients clients) {
		int eventId = event.simulation.eventId();
		JsonNode session = sessionWithoutCars(event.simulation);
		ObjectNode sessionPatch = JsonPatches.changedMembers(event.session, session);
		if (JsonPatches.changesMoreThan(sessionPatch)) {
			sessionPatch.set("eventId", session.get("eventId"));
			sessionPatch.set("sessionId", session.get("sessionId"));
			clients.group(eventGroupV2(eventId)).send("ReceiveSessionPatch", sessionPatch);
			event.session = session;
		}
		ArrayNode carPatches = NODES.arrayNode();
		Map<String, JsonNode> cars = new HashMap<>();
		for (JsonNode car : event.payload.get("cps")) {
			String number = car.get("n").asString();
			cars.put(number, car);
			JsonNode before = event.cars.get(number);
			if (before == null) {
				carPatches.add(car);
				continue;
			}
			ObjectNode patch = JsonPatches.changedMembers(before, car);
			if (JsonPatches.changesMoreThan(patch, "n")) {
				patch.set("n", car.get("n"));
				carPatches.add(patch);
			}
		}
		event.cars = cars;
		if (!carPatches.isEmpty()) {
			clients.group(eventGroupV2(eventId)).send("ReceiveCarPatches", carPatches);
		}
	}

	private void publishControlLogs(Published event, HubClients clients) {
		Set<String> changed = event.simulation.takeControlLogChanges();
		if (changed.isEmpty()) {
			return;
		}
		int eventId = event.simulation.eventId();
		clients.group(controlLogGroup(eventId)).send("ReceiveControlLog", event.simulation.controlLog());
		for (String car : changed) {
			clients.group(carControlLogGroup(eventId, car)).send("ReceiveControlLog", event.simulation.controlLog(car));
		}
	}

	private void publishInCar(Published event, HubClients clients) {
		int eventId = event.simulation.eventId();
		for (String car : event.simulation.carNumbers()) {
			InCarPayload payload = event.simulation.inCar(car);
			if (payload == null || payload.equals(event.inCar.get(car))) {
				continue;
			}
			event.inCar.put(car, payload);
			clients.group(inCarGroupV2(eventId, car)).send("ReceiveInCarUpdateV2", payload);
			clients.group(inCarGroup(eventId, car))
				.send("ReceiveInCarUpdate", compress(this.json.valueToTree(payload)));
		}
	}

	private void sendFullStatusToAll() {
		for (Published event : this.published.values()) {
			v1Subscribers(event.simulation.eventId()).send("ReceiveMessage", compress(event.payload));
		}
	}

	/** The V1 group, less the connections still waiting for their first full status. */
	private ClientProxy v1Subscribers(int eventId) {
		Set<String> waiting = this.awaitingFullStatus.get(eventId);
		List<String> excluded = (waiting != null) ? new ArrayList<>(waiting) : List.of();
		return excluded.isEmpty() ? this.hub.clients().group(eventGroup(eventId))
				: this.hub.clients().groupExcept(eventGroup(eventId), excluded);
	}

	private JsonNode sessionWithoutCars(RaceSimulation simulation) {
		ObjectNode session = this.json.valueToTree(simulation.sessionState());
		session.remove("carPositions");
		session.remove("eventEntries");
		return session;
	}

	/** UTF-8 JSON, gzip-compressed, base64-encoded: a string starting with {@code H4sI}. */
	private String compress(JsonNode status) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			gzip.write(this.json.writeValueAsBytes(status));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Base64.getEncoder().encodeToString(bytes.toByteArray());
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.simulator;
		this.simulator = null;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.simulator != null;
	}
}
