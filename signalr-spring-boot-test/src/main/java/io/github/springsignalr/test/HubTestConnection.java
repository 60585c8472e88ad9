package io.github.springsignalr.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One connection of a {@link HubTester} to a hub: what a test invokes, streams and expects through it.
 * Every {@code expect...} method waits up to the tester's timeout and throws an {@link AssertionError}
 * naming what was expected and what the server sent instead. Calls of the server that no expectation
 * took yet are kept, in order, for later expectations. Close it when done (try-with-resources).
 */
public final class HubTestConnection implements AutoCloseable {

	private static final JsonMapper NEGOTIATE_READER = JsonMapper.builder().build();

	/** A shared daemon timer for the keep-alive pings of every tester connection. */
	private static final ScheduledExecutorService PINGS = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "hub-tester-pings");
		thread.setDaemon(true);
		return thread;
	});

	private final HubProtocol protocol;

	private final Duration timeout;

	private final String connectionId;

	private final TesterSocket socket;

	private final AtomicLong invocationIds = new AtomicLong();

	private final Map<String, InvocationResult> invocations = new ConcurrentHashMap<>();

	private final Map<String, StreamResult> streams = new ConcurrentHashMap<>();

	private final Map<String, Function<ClientCall, @Nullable Object>> answers = new ConcurrentHashMap<>();

	private final Mailbox<ClientCall> calls = new Mailbox<>();

	private final CompletableFuture<@Nullable String> closed = new CompletableFuture<>();

	private volatile @Nullable ScheduledFuture<?> pings;

	private HubTestConnection(HubProtocol protocol, Duration timeout, String connectionId, TesterSocket socket) {
		this.protocol = protocol;
		this.timeout = timeout;
		this.connectionId = connectionId;
		this.socket = socket;
	}

	static HubTestConnection open(HttpClient http, URI hub, HubProtocol protocol, Map<String, String> headers,
			Duration timeout) {
		JsonNode negotiation = negotiate(http, hub, headers, timeout);
		String connectionId = negotiation.path("connectionId").asString();
		String token = negotiation.path("connectionToken").asString(connectionId);
		URI webSocketUri = HubTester.withQuery(toWebSocket(hub), "id", token);
		TesterSocket socket = new TesterSocket(protocol);
		HubTestConnection connection = new HubTestConnection(protocol, timeout, connectionId, socket);
		socket.open(http, webSocketUri, headers, timeout, connection::receive, connection::socketClosed);
		connection.socket.handshake(timeout);
		long pingMillis = Math.max(1000, Math.min(15_000, timeout.toMillis()));
		connection.pings = PINGS.scheduleWithFixedDelay(() -> connection.socket.send(HubMessage.Ping.INSTANCE),
				pingMillis, pingMillis, TimeUnit.MILLISECONDS);
		return connection;
	}

	private static JsonNode negotiate(HttpClient http, URI hub, Map<String, String> headers, Duration timeout) {
		String path = hub.getRawPath();
		String query = (hub.getRawQuery() != null) ? hub.getRawQuery() + "&" : "";
		URI negotiate = hub.resolve(path + "/negotiate?" + query + "negotiateVersion=1");
		HttpRequest.Builder request = HttpRequest.newBuilder(negotiate).timeout(timeout)
			.POST(HttpRequest.BodyPublishers.noBody());
		headers.forEach(request::header);
		HttpResponse<String> response;
		try {
			response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new AssertionError("Negotiate at " + negotiate + " failed: " + ex, ex);
		}
		if (response.statusCode() != 200) {
			throw new AssertionError("Negotiate at " + negotiate + " answered " + response.statusCode()
					+ (response.body().isEmpty() ? "" : ": " + response.body()));
		}
		JsonNode body = NEGOTIATE_READER.readTree(response.body());
		if (body.hasNonNull("error")) {
			throw new AssertionError("Negotiate at " + negotiate + " refused: " + body.path("error").asString());
		}
		return body;
	}

	private static URI toWebSocket(URI hub) {
		String scheme = "https".equalsIgnoreCase(hub.getScheme()) ? "wss" : "ws";
		return URI.create(scheme + hub.toString().substring(hub.getScheme().length()));
	}

	/** The connection id the server gave in negotiate (what {@code HubCallerContext.connectionId()} says). */
	public String connectionId() {
		return this.connectionId;
	}

	/** Invokes {@code method} with {@code arguments} and returns at once; the result is awaited by its handle. */
	public InvocationResult invoke(String method, @Nullable Object... arguments) {
		String id = Long.toString(this.invocationIds.incrementAndGet());
		InvocationResult result = new InvocationResult(method, this.protocol, this.timeout);
		this.invocations.put(id, result);
		if (this.closed.isDone()) {
			result.fail("the connection had closed" + closeText());
		}
		this.socket.send(new HubMessage.Invocation(id, method, argumentList(arguments)));
		return result;
	}

	/** Invokes {@code method} without asking for a result (the server sends none, not even an error). */
	public void send(String method, @Nullable Object... arguments) {
		this.socket.send(new HubMessage.Invocation(null, method, argumentList(arguments)));
	}

	/** Starts the streaming method {@code method}; its items are awaited through the handle. */
	public StreamResult stream(String method, @Nullable Object... arguments) {
		String id = Long.toString(this.invocationIds.incrementAndGet());
		StreamResult stream = new StreamResult(method, this.protocol, this.timeout,
				() -> this.socket.send(new HubMessage.CancelInvocation(id, Map.of())));
		this.streams.put(id, stream);
		if (this.closed.isDone()) {
			stream.fail("the connection had closed" + closeText());
		}
		this.socket.send(new HubMessage.StreamInvocation(id, method, argumentList(arguments), List.of(), Map.of()));
		return stream;
	}

	/**
	 * Answers the server's client-result calls of {@code target} (names compared ignoring case) with what
	 * {@code answer} returns; an exception it throws becomes the error the server sees. Calls answered
	 * here are still kept for {@link #expectCall}.
	 */
	public HubTestConnection onInvoke(String target, Function<ClientCall, @Nullable Object> answer) {
		this.answers.put(target.toLowerCase(java.util.Locale.ROOT), answer);
		return this;
	}

	/**
	 * Waits for the next call of {@code target} from the server (a {@code Clients...send}; names compared
	 * ignoring case, as the official clients do) that no earlier expectation took.
	 */
	public ClientCall expectCall(String target) {
		ClientCall call = this.calls.take((c) -> c.target().equalsIgnoreCase(target), this.timeout);
		if (call == null) {
			throw new AssertionError("Expected a call of '" + target + "' within " + this.timeout + " but "
					+ describe(this.calls.snapshot()) + (this.closed.isDone() ? "; the connection closed" + closeText() : ""));
		}
		return call;
	}

	/** Asserts that no call of {@code target} arrives within {@code period} (nor came earlier, untaken). */
	public void expectNoCall(String target, Duration period) {
		ClientCall call = this.calls.take((c) -> c.target().equalsIgnoreCase(target), period);
		if (call != null) {
			throw new AssertionError("Expected no call of '" + target + "' but got one with " + call.describeArguments());
		}
	}

	/** Waits until the server closes the connection and returns the error of its Close message, if any. */
	public @Nullable String expectClosed() {
		try {
			return this.closed.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("Expected the server to close the connection within " + this.timeout);
		}
		catch (Exception ex) {
			throw new AssertionError("Waiting for the connection to close failed: " + ex, ex);
		}
	}

	/** Whether the connection has ended (closed by either side, or its socket dropped). */
	public boolean isClosed() {
		return this.closed.isDone();
	}

	/** Closes the WebSocket (normal closure) and waits briefly for the server to let go. */
	@Override
	public void close() {
		this.socket.close();
		try {
			this.closed.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			// the socket is gone either way
		}
	}

	private void receive(HubMessage message) {
		if (message instanceof HubMessage.Invocation invocation) {
			ClientCall call = new ClientCall(invocation.target(), invocation.arguments(), this.protocol);
			this.calls.put(call);
			if (invocation.invocationId() != null) {
				answer(invocation.invocationId(), call);
			}
		}
		else if (message instanceof HubMessage.Completion completion) {
			InvocationResult invocation = this.invocations.remove(completion.invocationId());
			if (invocation != null) {
				invocation.complete(completion);
			}
			StreamResult stream = this.streams.remove(completion.invocationId());
			if (stream != null) {
				stream.complete(completion.error());
			}
		}
		else if (message instanceof HubMessage.StreamItem item) {
			StreamResult stream = this.streams.get(item.invocationId());
			if (stream != null) {
				stream.item(item.item());
			}
		}
		else if (message instanceof HubMessage.Close close) {
			socketClosed(close.error());
		}
	}

	private void answer(String invocationId, ClientCall call) {
		Function<ClientCall, @Nullable Object> answer = this.answers.get(call.target().toLowerCase(java.util.Locale.ROOT));
		HubMessage completion;
		if (answer == null) {
			// what the official JavaScript client answers when no handler returns a result
			completion = HubMessage.Completion.withError(invocationId, "Client didn't provide a result.");
		}
		else {
			try {
				completion = HubMessage.Completion.withResult(invocationId, answer.apply(call));
			}
			catch (RuntimeException ex) {
				completion = HubMessage.Completion.withError(invocationId, String.valueOf(ex.getMessage()));
			}
		}
		this.socket.send(completion);
	}

	private void socketClosed(@Nullable String error) {
		if (this.closed.complete(error)) {
			ScheduledFuture<?> keepAlive = this.pings;
			if (keepAlive != null) {
				keepAlive.cancel(false);
			}
			String reason = "the connection closed" + ((error != null) ? " with error: " + error : "");
			this.invocations.values().forEach((invocation) -> invocation.fail(reason));
			this.streams.values().forEach((stream) -> stream.fail(reason));
			this.socket.close();
		}
	}

	private String closeText() {
		String error = this.closed.getNow(null);
		return (error != null) ? " with error: " + error : "";
	}

	private static String describe(List<ClientCall> pending) {
		if (pending.isEmpty()) {
			return "none came";
		}
		List<String> names = new ArrayList<>();
		pending.forEach((call) -> names.add(call.target() + call.describeArguments()));
		return "only these came: " + names;
	}

	private static List<@Nullable Object> argumentList(@Nullable Object @Nullable [] arguments) {
		return (arguments != null) ? Arrays.asList(arguments) : java.util.Collections.singletonList(null);
	}
}
