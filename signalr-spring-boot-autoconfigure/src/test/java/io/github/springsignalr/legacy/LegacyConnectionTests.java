package io.github.springsignalr.legacy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.actuate.SignalREndpoint;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.Connections;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.Progress;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A classic connection on a real hub handler: results, errors, buffered client invocations with cursors,
 * long polls, and its end (stopped, timed out, never revived).
 */
class LegacyConnectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final DefaultHubLifetimeManager lifetime = new DefaultHubLifetimeManager();

	private final ChatHub hub = new ChatHub();

	private final HubConnectionHandler handler = new HubConnectionHandler("ChatHub", this.hub,
			HubDescriptor.of(ChatHub.class), List.of(), HubOptions.defaults(), this.lifetime, (connection) -> null,
			Schedulers.immediate());

	private final LegacyHubs hubs = new LegacyHubs(
			List.of(new LegacyHub("ChatHub", this.handler, new LegacyHubProtocol("ChatHub", this.mapper, false))));

	private LegacyConnections connections(LegacyOptions options) {
		return new LegacyConnections(this.hubs, this.mapper, options, ConnectionTokens.random());
	}

	private LegacyConnection connect(LegacyConnections connections, String clientProtocol) {
		String payload = connections.negotiate(null, request(), "/signalr", clientProtocol, true);
		String token = this.mapper.readTree(payload).get("ConnectionToken").asString();
		LegacyConnection connection = connections.find(token, null);
		connection.open(this.hubs.resolve(this.mapper, "[{\"name\":\"chathub\"}]"), request());
		return connection;
	}

	private static ConnectionRequest request() {
		return new ConnectionRequest(URI.create("http://localhost/signalr/connect"), new HttpHeaders(),
				new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null);
	}

	@Test
	void resultsCarryTheIdAsAStringAndErrorsTheClassicTexts() {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"add\",\"A\":[2,3],\"I\":0}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"0\",\"R\":5}");
		assertThat(connection.receive("{\"H\":\"ChatHub\",\"M\":\"Void\",\"A\":[],\"I\":\"1\"}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"1\"}");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"ThrowHub\",\"A\":[],\"I\":2}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"2\",\"E\":\"boom\",\"H\":true,\"D\":{\"ErrorNumber\":42}}");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"Throw\",\"A\":[],\"I\":3}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"3\",\"E\":\"There was an error invoking Hub method 'chathub.Throw'.\"}");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"Nope\",\"A\":[],\"I\":4}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"4\",\"E\":\"There was an error invoking Hub method 'chathub.Nope'.\"}");
		assertThat(connection.receive("{\"H\":\"nohub\",\"M\":\"Echo\",\"A\":[],\"I\":5}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"5\",\"E\":\"'nohub' Hub could not be resolved.\"}");
		assertThat(connection.receive("{}").block(TIMEOUT)).isNull();
	}

	@Test
	void liveChannelGetsTheInitFirstThenEachClientInvocationEnvelopedWithItsCursor() throws Exception {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		RecordingChannel channel = new RecordingChannel();
		connection.attach(channel, TransportType.WEB_SOCKETS, null, false);
		connection.connected().block(TIMEOUT);
		assertThat(this.hub.connected).containsExactly(connection.id());
		this.lifetime.sendAll("addMessage", new Object[] { "a", 1 }).block(TIMEOUT);
		String init = channel.next();
		assertThat(init).matches("\\{\"C\":\"d-[0-9A-F]+-0\",\"S\":1,\"M\":\\[]}");
		assertThat(channel.next()).matches(
				"\\{\"C\":\"d-[0-9A-F]+-1\",\"M\":\\[\\{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":\\[\"a\",1]}]}");
	}

	@Test
	void pollWithAnOldCursorGetsTheMissedMessagesAgainAndAWaitingPollIsAnsweredByTheNextMessage() {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		String init = connection.longPollConnect();
		String cursor = this.mapper.readTree(init).get("C").asString();
		connection.connected().block(TIMEOUT);
		this.lifetime.sendAll("addMessage", new Object[] { "one" }).block(TIMEOUT);
		this.lifetime.sendAll("addMessage", new Object[] { "two" }).block(TIMEOUT);
		String first = connection.poll(cursor).block(TIMEOUT);
		assertThat(first).contains("\"A\":[\"one\"]},{\"H\":\"ChatHub\",\"M\":\"addMessage\",\"A\":[\"two\"]}]}");
		assertThat(connection.poll(cursor).block(TIMEOUT)).isEqualTo(first);
		String seen = this.mapper.readTree(first).get("C").asString();
		var waiting = connection.poll(seen).toFuture();
		assertThat(waiting).isNotDone();
		this.lifetime.sendAll("addMessage", new Object[] { "three" }).block(TIMEOUT);
		assertThat(waiting.join()).contains("\"A\":[\"three\"]").doesNotContain("\"one\"");
	}

	@Test
	void idlePollIsAnsweredEmptyAfterTheConnectionTimeoutWithTheDelayWhenSet() {
		LegacyOptions options = new LegacyOptions(Duration.ofSeconds(10), Duration.ofSeconds(30),
				Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(250), 1000, 1 << 20, false);
		LegacyConnection connection = connect(connections(options), "2.1");
		String cursor = this.mapper.readTree(connection.longPollConnect()).get("C").asString();
		long start = System.nanoTime();
		assertThat(connection.poll(cursor).block(TIMEOUT)).isEqualTo("{\"C\":\"" + cursor + "\",\"L\":250,\"M\":[]}");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void abortEndsTheConnectionOnceWithoutCauseAndItsTokenNeverRevivesIt() {
		LegacyConnections connections = connections(LegacyOptions.defaults());
		String payload = connections.negotiate(null, request(), "/signalr", "1.5", true);
		String token = this.mapper.readTree(payload).get("ConnectionToken").asString();
		LegacyConnection connection = connections.find(token, null);
		connection.open(this.hubs.resolve(this.mapper, "[{\"name\":\"chathub\"}]"), request());
		connection.connected().block(TIMEOUT);
		connection.abort().block(TIMEOUT);
		connection.abort().block(TIMEOUT);
		assertThat(this.hub.disconnected).containsExactly(connection.id() + ":null");
		assertThatThrownBy(() -> connections.find(token, null))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(404));
	}

	@Test
	void connectionWithoutATransportEndsWithATimeoutAfterTheDisconnectTimeout() throws Exception {
		LegacyOptions options = new LegacyOptions(Duration.ofSeconds(10), Duration.ofMillis(300),
				Duration.ofSeconds(110), Duration.ofSeconds(5), Duration.ZERO, 1000, 1 << 20, false);
		LegacyConnection connection = connect(connections(options), "2.1");
		connection.longPollConnect();
		connection.connected().block(TIMEOUT);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.hub.disconnected.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.hub.disconnected).containsExactly(connection.id() + ":" + TimeoutException.class.getSimpleName());
		assertThat(connection.isEnded()).isTrue();
	}

	@Test
	void progressReportsReachTheCallerEnvelopedBeforeTheResultAndNotAfterIt() throws Exception {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		RecordingChannel channel = new RecordingChannel();
		connection.attach(channel, TransportType.WEB_SOCKETS, null, false);
		channel.next();
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"Progress\",\"A\":[2],\"I\":0}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"0\",\"R\":\"done\"}");
		assertThat(channel.next()).matches("\\{\"C\":\"[^\"]+\",\"M\":\\[\\{\"I\":\"P\\|0\",\"P\":\\{\"I\":\"0\",\"D\":1}}]}");
		assertThat(channel.next()).endsWith("\"M\":[{\"I\":\"P|0\",\"P\":{\"I\":\"0\",\"D\":2}}]}");
		assertThatThrownBy(() -> this.hub.lastProgress.report(3)).isInstanceOf(IllegalStateException.class)
			.hasMessage("You cannot report progress on a hub method invocation that has already completed.");
	}

	@Test
	void callerStateSentWithAnInvocationIsReadByTheMethodAndItsChangesComeBackWithTheResult() {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"StateRoundTrip\",\"A\":[],\"I\":0,"
				+ "\"S\":{\"X\":1,\"name\":\"kept\"}}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"0\",\"R\":1,\"S\":{\"y\":2}}");
		assertThat(connection.receive("{\"H\":\"chathub\",\"M\":\"StateRoundTrip\",\"A\":[],\"I\":1}").block(TIMEOUT))
			.isEqualTo("{\"I\":\"1\",\"S\":{\"name\":\"kept\",\"y\":1}}");
		String tooLong = "{\"H\":\"chathub\",\"M\":\"StateRoundTrip\",\"A\":[],\"I\":2,\"S\":{\"x\":\""
				+ "a".repeat(4100) + "\"}}";
		assertThat(connection.receive(tooLong).block(TIMEOUT))
			.isEqualTo("{\"I\":\"2\",\"E\":\"State has exceeded the maximum length of 4096 bytes.\"}");
	}

	@Test
	void shutdownAnswersAWaitingPollWithTAndEndsTheConnection() {
		LegacyConnections connections = connections(LegacyOptions.defaults());
		LegacyConnection connection = connect(connections, "2.1");
		String cursor = this.mapper.readTree(connection.longPollConnect()).get("C").asString();
		connection.connected().block(TIMEOUT);
		var waiting = connection.poll(cursor).toFuture();
		connections.shutdown().block(TIMEOUT);
		assertThat(waiting.join()).isEqualTo("{\"C\":\"" + cursor + "\",\"T\":1,\"M\":[]}");
		assertThat(this.hub.disconnected).containsExactly(connection.id() + ":null");
		assertThat(connections.connections()).isEmpty();
	}

	@Test
	void classicConnectionWhoseAuthenticationExpiredIsClosedByTheHeartbeat() throws Exception {
		this.handler.setAuthenticationExpiration((user) -> Instant.now().plusMillis(300));
		LegacyConnections connections = connections(LegacyOptions.defaults());
		Principal alice = () -> "alice";
		String payload = connections.negotiate(alice, request(), "/signalr", "2.1", true);
		LegacyConnection connection = connections
			.find(this.mapper.readTree(payload).get("ConnectionToken").asString(), alice);
		connection.open(this.hubs.resolve(this.mapper, "[{\"name\":\"chathub\"}]"), request());
		RecordingChannel channel = new RecordingChannel();
		connection.attach(channel, TransportType.WEB_SOCKETS, null, false);
		connection.connected().block(TIMEOUT);
		assertThat(connection.isEnded()).isFalse();
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!channel.ended && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(channel.ended).as("the transport ended after the expiry").isTrue();
		assertThat(connection.isEnded()).isTrue();
		assertThat(this.hub.disconnected).containsExactly(connection.id() + ":null");
		assertThatThrownBy(() -> connections.find(this.mapper.readTree(payload).get("ConnectionToken").asString(), alice))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(404));
	}

	@Test
	void hubViewsConnectionsAreTheHubsEndpointWhichItsClassicConnectionsJoinWhileConnected() throws Exception {
		LegacyConnections connections = connections(LegacyOptions.defaults());
		LegacyConnection first = connect(connections, "2.1");
		LegacyConnection second = connect(connections, "2.1");
		RecordingChannel firstChannel = new RecordingChannel();
		RecordingChannel secondChannel = new RecordingChannel();
		first.attach(firstChannel, TransportType.WEB_SOCKETS, null, false);
		second.attach(secondChannel, TransportType.WEB_SOCKETS, null, false);
		first.connected().block(TIMEOUT);
		second.connected().block(TIMEOUT);
		firstChannel.next();
		secondChannel.next();
		Connections endpoint = first.hubView("chathub").connections();
		assertThat(endpoint.count()).isEqualTo(2);
		byte[] message = "{\"H\":\"ChatHub\",\"M\":\"raw\",\"A\":[]}".getBytes(StandardCharsets.UTF_8);
		assertThat(endpoint.send(second.id(), message)).isTrue();
		assertThat(secondChannel.next()).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"raw\",\"A\":[]}]}");
		assertThat(endpoint.send("no-such-connection", message)).isFalse();
		endpoint.broadcast(message, List.of(second.id()));
		assertThat(firstChannel.next()).endsWith("\"M\":[{\"H\":\"ChatHub\",\"M\":\"raw\",\"A\":[]}]}");
		assertThat(endpoint.send(first.id(), "not <json>".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(firstChannel.next()).as("raw data that is not JSON goes as a JSON string")
			.endsWith("\"M\":[\"not <json>\"]}");
		endpoint.addToGroup(second.id(), "g");
		endpoint.sendToGroup("g", message, List.of());
		assertThat(secondChannel.next()).contains("\"raw\"");
		second.abort().block(TIMEOUT);
		assertThat(endpoint.count()).isEqualTo(1);
		endpoint.sendToGroup("g", message, List.of());
		assertThat(firstChannel.written).isEmpty();
	}

	@Test
	void classicConnectionsCountAsActiveConnectionsOfTheirHubUntilTheyEndAndHowTheyEnded() {
		List<String> events = new CopyOnWriteArrayList<>();
		SignalRMetrics metrics = new SignalRMetrics() {
			@Override
			public ConnectionMetrics connectionStarted(String endpoint, TransportType transport) {
				events.add("started " + endpoint + " " + transport.wireName());
				return (status, reason) -> events.add("ended " + endpoint + " " + status.tagValue());
			}
		};
		LegacyConnections connections = connections(new LegacyOptions(Duration.ofSeconds(10), Duration.ofMillis(100),
				Duration.ofSeconds(110), Duration.ofMillis(100), Duration.ZERO, 1000, 1 << 20, false));
		connections.setMetrics(metrics);
		LegacyConnection stopped = connect(connections, "2.1");
		stopped.attach(new RecordingChannel(), TransportType.FOREVER_FRAME, null, false);
		stopped.connected().block(TIMEOUT);
		assertThat(events).containsExactly("started ChatHub ForeverFrame");
		stopped.abort().block(TIMEOUT);
		LegacyConnection timedOut = connect(connections, "2.1");
		timedOut.longPollConnect();
		timedOut.connected().block(TIMEOUT);
		LegacyConnection shutDown = connect(connections, "2.1");
		shutDown.longPollConnect();
		var waiting = shutDown.poll(null).toFuture();
		shutDown.connected().block(TIMEOUT);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!timedOut.isEnded() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		connections.shutdown().block(TIMEOUT);
		assertThat(waiting.join()).contains("\"T\":1");
		assertThat(events).containsExactlyInAnyOrder("started ChatHub ForeverFrame", "ended ChatHub normal_closure",
				"started ChatHub LongPolling", "ended ChatHub timeout", "started ChatHub LongPolling",
				"ended ChatHub app_shutdown");
	}

	@Test
	void actuatorEndpointShowsClassicConnectionsUnderTheirHub() {
		SignalRRouteRegistry registry = new SignalRRouteRegistry();
		registry.register(this.hubs.find("chathub").route());
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		connection.attach(new RecordingChannel(), TransportType.FOREVER_FRAME, null, false);
		connection.connected().block(TIMEOUT);
		connection.receive("{\"H\":\"chathub\",\"M\":\"JoinRoom\",\"A\":[\"room\"],\"I\":0}").block(TIMEOUT);
		SignalREndpoint.EndpointDescriptor hub = new SignalREndpoint(registry, Show.ALWAYS, Set.of())
			.signalr(SecurityContext.NONE)
			.hubs()
			.get("ChatHub");
		assertThat(hub.connections()).isEqualTo(1);
		assertThat(hub.connectionsByTransport()).containsExactly(Map.entry("ForeverFrame", 1));
		assertThat(hub.connectionsByProtocol()).containsExactly(Map.entry("legacy", 1));
		assertThat(hub.groups()).isEqualTo(1);
		assertThat(hub.connectionDetails())
			.containsExactly(new SignalREndpoint.ConnectionDescriptor(connection.id(), "ForeverFrame", "legacy", null));
		connection.abort().block(TIMEOUT);
		assertThat(new SignalREndpoint(registry, Show.ALWAYS, Set.of()).signalr(SecurityContext.NONE)
			.hubs()
			.get("ChatHub")
			.connections()).isZero();
	}

	@Test
	void clientResultAskedOfAClassicConnectionFailsAtOnceSayingClassicClientsCannotReturnOne() {
		LegacyConnection connection = connect(connections(LegacyOptions.defaults()), "2.1");
		connection.attach(new RecordingChannel(), TransportType.WEB_SOCKETS, null, false);
		connection.connected().block(TIMEOUT);
		assertThatThrownBy(() -> this.lifetime.invokeConnection(connection.id(), "getAnswer", new Object[0], String.class)
			.block(TIMEOUT))
			.isInstanceOf(HubException.class)
			.hasMessage("Connection '" + connection.id() + "' is a classic ASP.NET SignalR 2 client: classic clients"
					+ " cannot return client results.");
	}

	/** The conformance fixture's hub, in part. */
	static class ChatHub {

		final List<String> connected = new CopyOnWriteArrayList<>();

		final List<String> disconnected = new CopyOnWriteArrayList<>();

		volatile Progress<Integer> lastProgress = (value) -> {
		};

		public String progress(int steps, Progress<Integer> progress) {
			for (int i = 1; i <= steps; i++) {
				progress.report(i);
			}
			this.lastProgress = progress;
			return "done";
		}

		public @Nullable Object stateRoundTrip(CallerState state) {
			Object x = state.get("x");
			state.put("name", "kept");
			state.put("y", (x instanceof Number number) ? number.intValue() + 1 : 1);
			return x;
		}

		public Mono<Void> joinRoom(String room, HubCallerContext caller, GroupManager groups) {
			return groups.addToGroup(caller.connectionId(), room);
		}

		public int add(int x, int y) {
			return x + y;
		}

		public void voidMethod() {
		}

		@io.github.springsignalr.HubMethodName("Void")
		public void nothing() {
		}

		public void throwHub() {
			throw HubException.withErrorData("boom", Map.of("ErrorNumber", 42));
		}

		public void throwPlain() {
			throw new IllegalStateException("secret");
		}

		@io.github.springsignalr.HubMethodName("Throw")
		public void throwIt() {
			throw new IllegalStateException("secret");
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

	/** A live channel that records what it is given. */
	static final class RecordingChannel implements LegacyTransport {

		final BlockingQueue<String> written = new LinkedBlockingQueue<>();

		volatile boolean ended;

		@Override
		public boolean write(byte[] json) {
			return this.written.add(new String(json, StandardCharsets.UTF_8));
		}

		@Override
		public void end() {
			this.ended = true;
		}

		String next() throws InterruptedException {
			String json = this.written.poll(5, TimeUnit.SECONDS);
			assertThat(json).as("a message within 5 s").isNotNull();
			return json;
		}
	}
}
