package io.github.springsignalr.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.MessagePackHubProtocol;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SignalR client for tests, in the spirit of {@code WebTestClient}: it connects to a running server
 * over a real WebSocket (negotiate, handshake, the JSON or MessagePack hub protocol), invokes hub
 * methods, reads streams, answers and expects the server's calls, and fails with an
 * {@link AssertionError} that says what was expected and what came.
 *
 * <p>In a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} annotated {@link AutoConfigureHubTester},
 * inject it; it reaches the test's server and uses the application's own protocols (so arguments are
 * written by the application's {@code JsonMapper}):
 * <pre>{@code
 * HubTestConnection ada = hubTester.connect("/chat");
 * ada.invoke("JoinRoom", "attic").expectCompletion();
 * ada.invoke("SendToRoom", "attic", "Ada", "hi").expectCompletion();
 * ada.expectCall("ReceiveMessage").expectArguments("Ada", "hi");
 * }</pre>
 * Outside Spring, {@link #create(URI)} makes one for any server. A tester is immutable: the
 * {@code with...} methods return a new one, so one configured tester can be shared by tests.
 */
public final class HubTester {

	/** How long an expectation waits when {@link #withTimeout} is not used. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Supplier<URI> baseUri;

	private final HubProtocol protocol;

	private final Map<String, String> headers;

	private final Duration timeout;

	private final HttpClient http;

	HubTester(Supplier<URI> baseUri, HubProtocol protocol, Map<String, String> headers, Duration timeout,
			HttpClient http) {
		this.baseUri = baseUri;
		this.protocol = protocol;
		this.headers = Map.copyOf(headers);
		this.timeout = timeout;
		this.http = http;
	}

	/**
	 * A tester for the server at {@code baseUri} (e.g. {@code http://localhost:8080}), speaking JSON with
	 * a default {@code JsonMapper}.
	 */
	public static HubTester create(URI baseUri) {
		Objects.requireNonNull(baseUri, "baseUri");
		return create(() -> baseUri, new JsonHubProtocol(JsonMapper.builder().build()));
	}

	/**
	 * A tester whose server address is looked up at each connect (a test server's port is known only
	 * once it started), speaking {@code protocol}.
	 */
	public static HubTester create(Supplier<URI> baseUri, HubProtocol protocol) {
		return new HubTester(baseUri, protocol, Map.of(), DEFAULT_TIMEOUT,
				HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build());
	}

	/** The same tester speaking another hub protocol, e.g. {@code new MessagePackHubProtocol(mapper)}. */
	public HubTester withProtocol(HubProtocol protocol) {
		return new HubTester(this.baseUri, Objects.requireNonNull(protocol, "protocol"), this.headers,
				this.timeout, this.http);
	}

	/** The same tester speaking MessagePack, with the JSON protocol's mapper when it has one. */
	public HubTester withMessagePack() {
		JsonMapper mapper = (this.protocol instanceof JsonHubProtocol json) ? json.mapper()
				: JsonMapper.builder().build();
		return withProtocol(new MessagePackHubProtocol(mapper));
	}

	/** The same tester sending {@code name: value} with the negotiate request and the WebSocket upgrade. */
	public HubTester withHeader(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new HubTester(this.baseUri, this.protocol, copy, this.timeout, this.http);
	}

	/** The same tester authenticating as a bearer of {@code token} ({@code Authorization: Bearer ...}). */
	public HubTester withBearerToken(String token) {
		return withHeader("Authorization", "Bearer " + token);
	}

	/** The same tester waiting up to {@code timeout} in each expectation. */
	public HubTester withTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive: " + timeout);
		}
		return new HubTester(this.baseUri, this.protocol, this.headers, timeout, this.http);
	}

	/** The hub protocol this tester speaks. */
	public HubProtocol protocol() {
		return this.protocol;
	}

	/**
	 * Connects to the hub at {@code hubPath} (e.g. {@code /chat}, with a query if the hub reads one):
	 * negotiates, opens the WebSocket and completes the handshake.
	 * @throws AssertionError when the server refuses (its status and body are in the message)
	 */
	public HubTestConnection connect(String hubPath) {
		URI hub = resolve(hubPath);
		return HubTestConnection.open(this.http, hub, this.protocol, this.headers, this.timeout);
	}

	private URI resolve(String hubPath) {
		String base = this.baseUri.get().toString();
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return URI.create(base + (hubPath.startsWith("/") ? hubPath : "/" + hubPath));
	}

	/** Appends {@code name=value} to the query of {@code uri}. */
	static URI withQuery(URI uri, String name, @Nullable String value) {
		String text = uri.toString();
		String separator = (uri.getRawQuery() == null) ? "?" : "&";
		return URI.create(text + separator + name + ((value != null) ? "=" + encode(value) : ""));
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}
}
