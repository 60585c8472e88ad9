package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;
import org.springframework.web.server.handler.FilteringWebHandler;
import org.springframework.web.util.DisconnectedClientHelper;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The requests that carry an open Server-Sent Events or long-polling connection's messages (its POSTs of
 * client data and its later polls), served on Reactor Netty itself, a route ahead of Spring WebFlux, when
 * nothing in WebFlux's chain would act on them: the application's handler is WebFlux's own (no decorator
 * but SignalR's), without observations, with no {@link WebFilter} but those {@code harmlessFilters}
 * accepts, SignalR's handler mapping first, no CORS configuration, an endpoint open to everyone and a
 * connection negotiated without a user. Otherwise, or for anything else (negotiate, the first poll, event
 * streams, WebSockets, DELETE, errors), the request goes through WebFlux as before; so Spring Security, an
 * application's filters and request observations apply whenever they are configured. Answers are those of
 * {@link SignalRRequestHandler}, byte for byte.
 */
public final class DirectTransportRequests
		implements Predicate<HttpServerRequest>, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	/** Spring logs each request it handles at DEBUG on this logger: while it does, requests go through Spring. */
	private static final Log requestLog = LogFactory.getLog(HttpWebHandlerAdapter.class);

	private final SignalRRouteRegistry registry;

	private final ConnectionManager connections;

	private final SignalRHandlerMapping mapping;

	private final Supplier<@Nullable HttpHandler> application;

	private final Predicate<WebFilter> harmlessFilters;

	/** Whether the application's chain may be left out; decided at the first request, once the context is up. */
	private volatile @Nullable Boolean enabled;

	/**
	 * @param application the application's {@link HttpHandler}, looked up at the first request
	 * @param harmlessFilters the filters that do nothing to the requests served here
	 */
	public DirectTransportRequests(SignalRRouteRegistry registry, ConnectionManager connections,
			SignalRHandlerMapping mapping, Supplier<@Nullable HttpHandler> application,
			Predicate<WebFilter> harmlessFilters) {
		this.registry = registry;
		this.connections = connections;
		this.mapping = mapping;
		this.application = application;
		this.harmlessFilters = harmlessFilters;
	}

	/** Whether the request is served here. */
	@Override
	public boolean test(HttpServerRequest request) {
		HttpMethod method = request.method();
		boolean post = HttpMethod.POST.equals(method);
		if ((!post && !HttpMethod.GET.equals(method)) || !enabled() || requestLog.isDebugEnabled()) {
			return false;
		}
		HttpConnection connection = connection(request);
		if (connection == null) {
			return false;
		}
		TransportType transport = connection.transportOrNull();
		if (post) {
			return transport == TransportType.SERVER_SENT_EVENTS || transport == TransportType.LONG_POLLING;
		}
		HttpHeaders headers = request.requestHeaders();
		// a later poll: not a WebSocket upgrade, not an event stream
		return transport == TransportType.LONG_POLLING && !headers.contains(HttpHeaderNames.UPGRADE)
				&& !TransportRequests.acceptsEventStream(headers.getAll(HttpHeaderNames.ACCEPT));
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		HttpConnection connection = connection(request);
		Mono<Void> served;
		if (connection == null) {
			// ended since the route was chosen: the answer WebFlux would give now
			served = respond(response, HttpStatus.NOT_FOUND, "No Connection with that ID");
		}
		else if (HttpMethod.POST.equals(request.method())) {
			served = this.mapping.requestHandler().posts().receive(request, response, connection);
		}
		else {
			served = this.mapping.requestHandler().longPolling().poll(connection, new NettyPollAnswer(response));
		}
		// a POST whose client went away mid-body has no one to answer, as in SignalRRequestHandler
		return served.onErrorResume(DisconnectedClientHelper::isClientDisconnectedException, (ex) -> Mono.empty());
	}

	/** The open connection of a request this class may serve, by its path and {@code id}. */
	private @Nullable HttpConnection connection(HttpServerRequest request) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		if (query <= 0 || uri.charAt(0) != '/') {
			return null;
		}
		ConnectionRoute endpoint = this.registry.find(SignalRRouteRegistry.key(uri.substring(0, query)));
		if (endpoint == null) {
			return null;
		}
		String token = queryParam(uri, query + 1, "id");
		HttpConnection connection = (token != null) ? this.connections.get(token) : null;
		if (connection == null || connection.route() != endpoint || connection.owner() != null
				|| !this.mapping.requestHandler().permitsAll(endpoint)) {
			return null;
		}
		return connection;
	}

	/**
	 * The first value of a query parameter when it needs no decoding; {@code null} when absent, empty or
	 * encoded (those requests are left to WebFlux, which decodes them).
	 */
	static @Nullable String queryParam(String uri, int start, String name) {
		int end = uri.indexOf('#', start);
		if (end < 0) {
			end = uri.length();
		}
		int position = start;
		while (position < end) {
			int next = uri.indexOf('&', position);
			if (next < 0 || next > end) {
				next = end;
			}
			int equals = position + name.length();
			if (equals < next && uri.charAt(equals) == '=' && uri.regionMatches(position, name, 0, name.length())) {
				String value = uri.substring(equals + 1, next);
				return (value.isEmpty() || value.indexOf('%') >= 0 || value.indexOf('+') >= 0) ? null : value;
			}
			if (next - position == name.length() && uri.regionMatches(position, name, 0, name.length())) {
				// the name without a value comes first: WebFlux's answer
				return null;
			}
			position = next + 1;
		}
		return null;
	}

	/**
	 * Whether requests are served here: the application's chain has nothing for them. Decided once, at the
	 * first request (or this call), when the application's handler is complete.
	 */
	public boolean active() {
		return enabled();
	}

	private boolean enabled() {
		Boolean enabled = this.enabled;
		if (enabled == null) {
			enabled = chainLeftOut(this.application.get());
			this.enabled = enabled;
			if (enabled) {
				logger.debug("Serving the POSTs and polls of SignalR connections on Reactor Netty directly");
			}
		}
		return enabled;
	}

	private static final Log logger = LogFactory.getLog(DirectTransportRequests.class);

	/** Whether the application's handler is WebFlux's own chain with nothing in it for these requests. */
	private boolean chainLeftOut(@Nullable HttpHandler handler) {
		if (handler == null || !SecretRedactingHttpHandlerDecorator.isWebFluxAdapter(handler)) {
			return false;
		}
		HttpWebHandlerAdapter adapter = (HttpWebHandlerAdapter) handler;
		if (!adapter.getObservationRegistry().isNoop() || this.mapping.requestHandler().corsConfigured()) {
			return false;
		}
		WebHandler web = adapter.getDelegate();
		if (web instanceof ExceptionHandlingWebHandler exceptions) {
			web = exceptions.getDelegate();
		}
		if (!(web instanceof FilteringWebHandler filtering) || !filtering.getFilters().stream().allMatch(this.harmlessFilters)) {
			return false;
		}
		if (!(filtering.getDelegate() instanceof DispatcherHandler dispatcher)) {
			return false;
		}
		List<HandlerMapping> mappings = dispatcher.getHandlerMappings();
		return mappings != null && !mappings.isEmpty() && mappings.get(0) == this.mapping;
	}

	/** An answer as {@link TransportRequests#respond} writes it through Spring's response. */
	static Mono<Void> respond(HttpServerResponse response, HttpStatus status, String body) {
		response.status(status.value()).header(HttpHeaderNames.CONTENT_TYPE, MediaType.TEXT_PLAIN_VALUE);
		if (status == HttpStatus.OK) {
			response.header(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
		}
		if (body.isEmpty()) {
			response.header(HttpHeaderNames.CONTENT_LENGTH, "0");
			return response.send().then();
		}
		return response.send(Mono.just(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)))).then();
	}

	private static final String NO_CACHE = "no-cache, no-store";

	/** A poll's answer on Reactor Netty's response. */
	private record NettyPollAnswer(HttpServerResponse response) implements LongPollingTransport.PollAnswer {

		@Override
		public Mono<Void> data(byte[] body, MediaType type) {
			this.response.status(HttpResponseStatus.OK)
				.header(HttpHeaderNames.CONTENT_TYPE, type.toString())
				.header(HttpHeaderNames.CACHE_CONTROL, NO_CACHE)
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
			if (body.length == 0) {
				return this.response.send().then();
			}
			return this.response.send(Mono.just(Unpooled.wrappedBuffer(body))).then();
		}

		@Override
		public Mono<Void> noContent() {
			return respond(this.response, HttpStatus.NO_CONTENT, "");
		}

		@Override
		public Scheduler scheduler() {
			Channel[] channel = new Channel[1];
			this.response.withConnection((connection) -> channel[0] = connection.channel());
			return TransportRequests.eventLoop(channel[0]);
		}
	}
}
