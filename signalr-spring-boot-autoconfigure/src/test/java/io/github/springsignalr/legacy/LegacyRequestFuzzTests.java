package io.github.springsignalr.legacy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.HubException;
import io.github.springsignalr.Progress;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Fuzzes what a classic ASP.NET SignalR 2 client controls in its requests, each field given the same input
 * text: the {@code messageId} cursor of a {@code /poll}, the hub invocation of a {@code /send}
 * ({@code {"H","M","A","I","S"}}, dispatched on a live connection of a real hub), {@code connectionData},
 * the {@code connectionToken}, and negotiate's {@code clientProtocol}. What a client would see is checked:
 * a poll answers the buffered messages after some position, in order, each once; an invocation is ignored
 * (not one) or answered with a result naming its id, its error one of the classic non-detailed texts; a
 * refused field is a {@link LegacyRequestException} with a 4xx status and one of the reference's texts
 * (the web layer answers it as is), never another exception (a 500); a token round-trips for its user
 * only; parsing allocates in proportion to the input; nothing waits beyond the poll's short timeout.
 * ({@code groupsToken} has nothing to fuzz: groups are server-side state and the server never reads it.)
 * The inputs in {@code LegacyRequestFuzzTestsInputs/} (what the real clients send, and every input that
 * once failed) are replayed by every build; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class LegacyRequestFuzzTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Bytes one input may allocate beyond its proportional share: a connection, its dispatch, its responses. */
	private static final long ALLOCATION_ALLOWANCE = 1024 * 1024;

	/** As in the hub protocol targets: looser while fuzzing, where Jazzer's comparison hooks copy strings. */
	private static final long ALLOCATION_PER_INPUT_BYTE = "1".equals(System.getenv("JAZZER_FUZZ")) ? 1024 : 256;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final List<String> BUFFERED = List.of("one", "two", "three");

	private static final Set<String> ERROR_KEYS = Set.of("I", "E", "H", "D", "S");

	private static final Set<String> RESULT_KEYS = Set.of("I", "R", "S");

	private static final DefaultHubLifetimeManager LIFETIME = new DefaultHubLifetimeManager();

	private static final LegacyHubs HUBS = new LegacyHubs(List.of(hub("FuzzHub", new FuzzHub(), LIFETIME),
			hub("stockTicker", new FuzzHub(), new DefaultHubLifetimeManager())));

	/** A poll without messages waits a millisecond: an input must not wait the reference's 110 s. */
	private static final LegacyOptions OPTIONS = new LegacyOptions(Duration.ofSeconds(10), Duration.ofHours(1),
			Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ZERO, 1000, 4L * 1024 * 1024, false);

	private static final LegacyConnections CONNECTIONS = new LegacyConnections(HUBS, MAPPER, OPTIONS,
			ConnectionTokens.random("node-1"));

	private static final ConnectionTokens TOKENS = ConnectionTokens.random("node-2");

	@AfterAll
	static void endConnections() {
		CONNECTIONS.shutdown().block(TIMEOUT);
	}

	@FuzzTest(maxDuration = "20s")
	void answersAnyClientFieldWithItsResultOrTheDocumentedRefusal(byte[] data) {
		String text = new String(data, StandardCharsets.UTF_8);
		long allocated = check(text);
		long bound = ALLOCATION_ALLOWANCE + ALLOCATION_PER_INPUT_BYTE * data.length;
		if (allocated > bound) {
			// the first inputs also load and initialize classes: only an input that allocates again counts
			allocated = check(text);
		}
		assertThat(allocated).as("bytes allocated for %d bytes of input", data.length).isLessThanOrEqualTo(bound);
	}

	/** Every check of one input, on a connection of its own; returns the bytes allocated meanwhile. */
	private static long check(String text) {
		long before = THREADS.getCurrentThreadAllocatedBytes();
		String token = token(CONNECTIONS.negotiate(null, request(), "/signalr", "1.5", true));
		LegacyConnection connection = CONNECTIONS.find(token, null);
		try {
			connection.open(HUBS.resolve(MAPPER, "[{\"name\":\"fuzzhub\"}]"), request());
			String init = connection.longPollConnect();
			String cursor = MAPPER.readTree(init).get("C").asString();
			String prefix = cursor.substring(0, cursor.lastIndexOf('-') + 1);
			connection.connected().block(TIMEOUT);
			for (String message : BUFFERED) {
				LIFETIME.sendConnection(connection.id(), "addMessage", new Object[] { message }).block(TIMEOUT);
			}
			checkPoll(connection, text, prefix);
			checkInvocation(connection, text);
		}
		finally {
			connection.abort().block(TIMEOUT);
		}
		checkConnectionData(text);
		checkToken(text);
		checkNegotiate(text);
		return THREADS.getCurrentThreadAllocatedBytes() - before;
	}

	/**
	 * A poll with the text as its cursor answers the buffered messages after the position it names, in
	 * order, each once (none for a cursor that is foreign, malformed, in the future or the newest), with the
	 * newest cursor of the connection.
	 */
	private static void checkPoll(LegacyConnection connection, String text, String prefix) {
		String response = connection.poll(text).block(TIMEOUT);
		assertThat(response).isNotNull();
		JsonNode poll = MAPPER.readTree(response);
		assertThat(poll.get("C").asString()).isEqualTo(prefix + Long.toHexString(BUFFERED.size()));
		List<String> messages = new ArrayList<>();
		for (JsonNode message : poll.get("M")) {
			assertThat(message.get("H").asString()).isEqualTo("FuzzHub");
			assertThat(message.get("M").asString()).isEqualTo("addMessage");
			messages.add(message.get("A").get(0).asString());
		}
		assertThat(messages).isEqualTo(BUFFERED.subList(BUFFERED.size() - messages.size(), BUFFERED.size()));
		for (int seen = 0; seen <= BUFFERED.size(); seen++) {
			if (text.equals(prefix + seen)) {
				assertThat(messages).hasSize(BUFFERED.size() - seen);
			}
		}
	}

	/**
	 * Data sent is not an invocation (ignored: no answer) or one answered with its id and a result, or
	 * an error that is the hub's own ({@code H}) or one of the classic non-detailed texts.
	 */
	private static void checkInvocation(LegacyConnection connection, String text) {
		LegacyInvocation invocation = LegacyInvocation.parse(MAPPER, text);
		String answer = connection.receive(text).block(TIMEOUT);
		if (invocation == null) {
			assertThat(answer).isNull();
			return;
		}
		assertThat(answer).isNotNull();
		JsonNode result = MAPPER.readTree(answer);
		assertThat(result.get("I").asString()).isEqualTo(invocation.id());
		if (!result.has("E")) {
			assertThat(result.propertyNames()).isSubsetOf(RESULT_KEYS);
			return;
		}
		assertThat(result.propertyNames()).isSubsetOf(ERROR_KEYS);
		String error = result.get("E").asString();
		if (result.has("H")) {
			assertThat(error).isEqualTo(FuzzHub.HUB_ERROR);
			return;
		}
		assertThat(error).isIn(LegacyInvocation.STATE_TOO_LONG,
				"'" + invocation.hub() + "' Hub could not be resolved.",
				"There was an error invoking Hub method '" + invocation.hub() + "." + invocation.method() + "'.");
	}

	/** connectionData names hubs or is refused with 400 and one of the reference's texts. */
	private static void checkConnectionData(String text) {
		LegacyRequestException refused = catchThrowableOfType(LegacyRequestException.class,
				() -> assertThat(HUBS.resolve(MAPPER, text)).allSatisfy((hub) -> assertThat(HUBS.all()).contains(hub)));
		if (refused != null) {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.getMessage()).matches("Protocol error: connectionData is too long\\."
					+ "|Protocol error: Invalid connectionData\\.|Duplicate Hub names found\\.|'.*' Hub could not be resolved\\.");
		}
	}

	/**
	 * A token that is not one of ours is refused with 400 (or 404 for a connection that ended, 400 when
	 * missing); a token made for the text as user name names its connection for that user only (403).
	 */
	private static void checkToken(String text) {
		LegacyRequestException refused = catchThrowableOfType(LegacyRequestException.class,
				() -> CONNECTIONS.find(text, null));
		assertThat(refused).as("a connection found with a token nobody issued").isNotNull();
		if (refused.status() == 404) {
			assertThat(refused.getMessage()).isEqualTo(LegacyConnections.NO_CONNECTION);
		}
		else {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.getMessage()).isIn(ConnectionTokens.INCORRECT_FORMAT,
					"Protocol error: Missing connection token.");
		}
		String token = TOKENS.create("connection-id", text);
		assertThat(TOKENS.connectionId(token, text)).isEqualTo("connection-id");
		LegacyRequestException otherUser = catchThrowableOfType(LegacyRequestException.class,
				() -> TOKENS.connectionId(token, text + "x"));
		assertThat(otherUser).isNotNull();
		assertThat(otherUser.status()).isEqualTo(403);
		assertThat(otherUser.getMessage()).isEqualTo(ConnectionTokens.OTHER_USER);
	}

	/** Any clientProtocol negotiates a version from 1.2 to 2.0. */
	private static void checkNegotiate(String text) {
		String payload = CONNECTIONS.negotiate(null, request(), "/signalr", text, true);
		JsonNode negotiate = MAPPER.readTree(payload);
		assertThat(negotiate.get("ProtocolVersion").asString()).matches("1\\.[2-9]|2\\.0");
		CONNECTIONS.find(negotiate.get("ConnectionToken").asString(), null).abort().block(TIMEOUT);
	}

	private static String token(String negotiate) {
		return MAPPER.readTree(negotiate).get("ConnectionToken").asString();
	}

	private static ConnectionRequest request() {
		return new ConnectionRequest(URI.create("http://localhost/signalr/connect"), new HttpHeaders(),
				new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null);
	}

	private static LegacyHub hub(String name, FuzzHub instance, DefaultHubLifetimeManager lifetime) {
		HubConnectionHandler handler = new HubConnectionHandler(name, instance, HubDescriptor.of(FuzzHub.class),
				List.of(), HubOptions.defaults(), lifetime, (connection) -> null, Schedulers.immediate());
		return new LegacyHub(name, handler, new LegacyHubProtocol(name, MAPPER, false));
	}

	/** Methods of the parameter and result types a hub has; each quick whatever its arguments. */
	static class FuzzHub {

		static final String HUB_ERROR = "hub error";

		public String echo(String message) {
			return message;
		}

		public int add(int a, int b) {
			return a + b;
		}

		public double half(double value) {
			return value / 2;
		}

		public boolean not(boolean value) {
			return !value;
		}

		public List<Integer> values(List<Integer> values) {
			return values;
		}

		public Map<String, Object> object(Map<String, Object> value) {
			return value;
		}

		public Point point(Point point) {
			return new Point(point.y(), point.x());
		}

		public void nothing() {
		}

		/** Answers the state's {@code x} and sets {@code y}. */
		public @Nullable Object state(CallerState state) {
			Object x = state.get("x");
			state.put("y", "seen");
			return x;
		}

		/** Reports up to three steps (they go to the connection's buffer), then completes. */
		public String progress(int steps, Progress<Integer> progress) {
			for (int i = 1; i <= Math.min(steps, 3); i++) {
				progress.report(i);
			}
			return "done";
		}

		public void fail() {
			throw new HubException(HUB_ERROR);
		}

		public void crash() {
			throw new IllegalStateException("secret detail");
		}
	}

	/** A parameter type of the hub's own. */
	record Point(int x, int y) {
	}
}
