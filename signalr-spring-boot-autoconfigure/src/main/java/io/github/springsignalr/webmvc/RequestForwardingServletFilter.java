package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import reactor.core.publisher.Mono;

import io.github.springsignalr.cluster.NodeDirectory;
import io.github.springsignalr.cluster.RequestForwarding;

/**
 * Serves, on a servlet node (Tomcat, Jetty), the transport requests of connections owned by another node
 * by forwarding them to the owner, as WebFlux's {@code RequestForwardingWebFilter} does there: a load
 * balancer without affinity works for every transport, and servlet and WebFlux nodes forward to each
 * other. Which requests go where is {@link RequestForwarding}'s rule; the owner's advertised base URL
 * comes from the {@link NodeDirectory}.
 * <ul>
 * <li>HTTP (SSE stream, long poll, POST of client data, DELETE, authentication refresh): the request is
 * made asynchronous and sent to the owner with the JDK's HTTP client, its body streamed; the owner's
 * status, headers and body come back, each chunk flushed as it comes, so SSE events and poll responses
 * are not held.</li>
 * <li>WebSocket: this node first opens a WebSocket to the owner; if the owner refuses the handshake its
 * status is returned, else the client's upgrade is accepted and messages are relayed both ways
 * ({@link ForwardedWebSocket}).</li>
 * </ul>
 * An unknown or unreachable owner gets the reference's 404 {@code No Connection with that ID}; an owner
 * that cannot be looked up now (the directory is away) a 503 at once. The forwarded request carries the
 * client's end-to-end headers ({@code Authorization} and cookies included) and {@value RequestForwarding#FORWARDED_BY};
 * the JDK client sets {@code Host} to the owner's own. It runs before Spring Security and after the
 * redaction of secrets from the query (whose original it forwards).
 */
public final class RequestForwardingServletFilter extends OncePerRequestFilter implements Ordered, AutoCloseable {

	/** After {@link SecretRedactingServletFilter} (-300), before the bearer token's filter (-200) and Spring Security. */
	public static final int ORDER = -250;

	private static final Log logger = LogFactory.getLog(RequestForwardingServletFilter.class);

	/** Headers the JDK client sets itself and refuses from us. */
	private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect", "connection",
			"upgrade", "http2-settings");

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** Longest wait for the owner's address, whatever the directory's own bound. */
	private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

	private final RequestForwarding forwarding;

	private final ExecutorService executor;

	private final HttpClient http;

	private final AtomicLong forwarded = new AtomicLong();

	/**
	 * @param transportPath whether a path (within the application) is that of an endpoint's transports
	 */
	public RequestForwardingServletFilter(NodeDirectory directory, Predicate<String> transportPath) {
		this.forwarding = new RequestForwarding(directory, transportPath);
		AtomicInteger threads = new AtomicInteger();
		ClassLoader library = RequestForwardingServletFilter.class.getClassLoader();
		// relays block on the client's socket while they write: threads of their own, idle ones end; none
		// holds the web application's class loader (the container would take them for a leak)
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "signalr-forwarding-" + threads.incrementAndGet());
			thread.setDaemon(true);
			thread.setContextClassLoader(library);
			return thread;
		});
		Thread current = Thread.currentThread();
		ClassLoader previous = current.getContextClassLoader();
		// the client's selector thread starts here and keeps the context class loader it starts with
		current.setContextClassLoader(library);
		try {
			this.http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(CONNECT_TIMEOUT)
				.followRedirects(HttpClient.Redirect.NEVER)
				.executor(this.executor)
				.build();
		}
		finally {
			current.setContextClassLoader(previous);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** How many requests this node has forwarded to other nodes. */
	public long forwardedCount() {
		return this.forwarded.get();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String owner = foreignOwner(request);
		if (owner == null) {
			chain.doFilter(request, response);
			return;
		}
		if (isUpgrade(request)) {
			// the client's upgrade happens on this thread, once the owner accepted its own
			URI base = locate(request, owner, response);
			if (base != null) {
				this.forwarded.incrementAndGet();
				ForwardedWebSocket.relay(this.http, request, response, target(base, request, true),
						this.forwarding.directory().localNodeId());
			}
			return;
		}
		AsyncContext async = request.startAsync(request, response);
		// a long poll or an event stream lasts as long as the owner holds it
		async.setTimeout(0);
		// listening from the start: a client gone while the owner is looked up ends the request here too
		String logged = logged(request);
		ForwardedHttpResponse relay = new ForwardedHttpResponse(logged, async);
		async.addListener(relay);
		// what is sent is taken now, on the request's own thread (the relay's threads may outlive it)
		HttpRequest.Builder call = forwardedCall(request);
		String path = request.getRequestURI();
		String query = SecretRedactingServletFilter.originalQuery(request);
		lookup(owner).subscribe((lookup) -> this.executor.execute(() -> {
			URI base = lookup.base();
			if (base == null) {
				logger.debug("Node " + owner + " is " + (lookup.failed() ? "not reachable in the directory"
						: "unknown") + "; " + logged + " not forwarded");
				relay.answer(lookup.failed() ? 503 : 404,
						lookup.failed() ? RequestForwarding.UNAVAILABLE : RequestForwarding.NOT_FOUND);
				return;
			}
			this.forwarded.incrementAndGet();
			relay.forwardingTo(base);
			call.uri(target(base, path, query, false));
			this.http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofPublisher()).whenComplete((answer, ex) -> {
				if (ex != null) {
					relay.failed(ex);
				}
				else {
					relay.start(answer);
				}
			});
		}));
	}

	/** The owner's base URL, or {@code null} once the client was answered that it is unknown or not known now. */
	private @Nullable URI locate(HttpServletRequest request, String owner, HttpServletResponse response)
			throws IOException {
		Lookup lookup = lookup(owner).block(LOOKUP_TIMEOUT.plusSeconds(1));
		if (lookup == null || lookup.base() == null) {
			boolean failed = lookup == null || lookup.failed();
			logger.debug("Node " + owner + " is " + (failed ? "not reachable in the directory" : "unknown") + "; "
					+ logged(request) + " not forwarded");
			answer(response, failed ? 503 : 404, failed ? RequestForwarding.UNAVAILABLE : RequestForwarding.NOT_FOUND);
			return null;
		}
		return lookup.base();
	}

	private Mono<Lookup> lookup(String owner) {
		return this.forwarding.directory()
			.locate(owner)
			.timeout(LOOKUP_TIMEOUT)
			.map(Lookup::found)
			.defaultIfEmpty(Lookup.UNKNOWN)
			.onErrorResume((ex) -> {
				logger.debug("Could not look node " + owner + " up", ex);
				return Mono.just(Lookup.FAILED);
			});
	}

	/** Where the owner of a connection is: its base URL, unknown, or not known now (lookup failed). */
	private record Lookup(@Nullable URI base, boolean failed) {

		static final Lookup UNKNOWN = new Lookup(null, false);

		static final Lookup FAILED = new Lookup(null, true);

		static Lookup found(URI base) {
			return new Lookup(base, false);
		}

	}

	private @Nullable String foreignOwner(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return this.forwarding.foreignOwner(request.getMethod(), path, TransportRequests.queryParam(request, "id", false),
				request.getHeader(RequestForwarding.CONNECTION_TOKEN_HEADER),
				TransportRequests.queryParam(request, "connectionToken", false),
				request.getHeader(RequestForwarding.FORWARDED_BY) != null);
	}

	private static boolean isUpgrade(HttpServletRequest request) {
		return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
	}

	/** The request's URL at the owner: the owner's scheme and authority, the request's path and original query. */
	static URI target(URI base, HttpServletRequest request, boolean webSocket) {
		return target(base, request.getRequestURI(), SecretRedactingServletFilter.originalQuery(request), webSocket);
	}

	private static URI target(URI base, String path, @Nullable String query, boolean webSocket) {
		String scheme = base.getScheme();
		if (webSocket) {
			scheme = "https".equalsIgnoreCase(scheme) ? "wss" : "ws";
		}
		return URI.create(scheme + "://" + base.getRawAuthority() + path + ((query != null) ? "?" + query : ""));
	}

	/** Whether a header of the client's request goes to the owner through the JDK's client. */
	static boolean forwards(String name, boolean webSocket) {
		return RequestForwarding.forwards(name, webSocket) && !SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT));
	}

	/** The forwarded request without its URL: the client's method, end-to-end headers and body. */
	private HttpRequest.Builder forwardedCall(HttpServletRequest request) {
		HttpRequest.Builder call = HttpRequest.newBuilder();
		for (String name : Collections.list(request.getHeaderNames())) {
			if (forwards(name, false)) {
				for (String value : Collections.list(request.getHeaders(name))) {
					try {
						call.header(name, value);
					}
					catch (IllegalArgumentException ex) {
						// a header the JDK's client refuses to send (a restricted name): the owner does without it
					}
				}
			}
		}
		call.header(RequestForwarding.FORWARDED_BY, this.forwarding.directory().localNodeId());
		call.method(request.getMethod(), body(request));
		return call;
	}

	private static HttpRequest.BodyPublisher body(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		if (length == 0 || (length < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null)) {
			return HttpRequest.BodyPublishers.noBody();
		}
		HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
			try {
				return request.getInputStream();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		return (length > 0) ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
	}

	static void answer(HttpServletResponse response, int status, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType("text/plain");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** Releases the threads relaying to other nodes. */
	@Override
	public void close() {
		// the client's selector thread ends with the client (Java 21's close() would wait for held polls)
		this.executor.shutdownNow();
	}

	/** The request's URI for a log line, without its secrets. */
	static String logged(HttpServletRequest request) {
		String query = request.getQueryString();
		return request.getMethod() + " " + request.getRequestURI()
				+ ((query != null) ? "?" + SecretRedactingServletFilter.redact(query) : "");
	}
}
