package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MimeTypeUtils;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.ConnectionRequest;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What the negotiate and transport requests share: reading the request (its user, the query, what it
 * accepts, the {@link ConnectionRequest} a connection keeps) and writing a short answer.
 */
final class TransportRequests {

	private TransportRequests() {
	}

	/** The request's principal, unless it is Spring Security's anonymous one (which is nobody). */
	static Mono<Principal> authenticatedUser(ServerWebExchange exchange) {
		return exchange.getPrincipal().filter((user) -> !ANONYMOUS.equals(user.getClass().getName()));
	}

	private static final String ANONYMOUS = "org.springframework.security.authentication.AnonymousAuthenticationToken";

	/** Whether the request accepts an event stream (Server-Sent Events). */
	static boolean acceptsEventStream(ServerHttpRequest request) {
		return acceptsEventStream(request.getHeaders().getOrEmpty(HttpHeaders.ACCEPT));
	}

	/** Whether {@code Accept} headers with these values accept an event stream. */
	static boolean acceptsEventStream(List<String> accept) {
		for (String value : accept) {
			for (String token : MimeTypeUtils.tokenize(value)) {
				MediaType type;
				try {
					type = MediaType.parseMediaType(token);
				}
				catch (InvalidMediaTypeException ex) {
					// skipped like the reference's typed-header parsing does (signalrcore polls with "Accept: Text")
					continue;
				}
				if (!type.isWildcardType() && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)) {
					return true;
				}
			}
		}
		return false;
	}

	/** A query parameter by name, ignoring case as the reference does. */
	static @Nullable String queryParam(ServerHttpRequest request, String name) {
		for (Map.Entry<String, List<String>> entry : request.getQueryParams().entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
				return entry.getValue().get(0);
			}
		}
		return null;
	}

	static Mono<Void> respond(ServerWebExchange exchange, HttpStatus status, MediaType type, String body) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(type);
		if (status == HttpStatus.OK) {
			response.getHeaders().setCacheControl("no-cache, no-store");
		}
		if (body.isEmpty()) {
			response.getHeaders().setContentLength(0);
			return response.setComplete();
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

	/** Each event loop as a Reactor scheduler (one each, never disposed: that would shut the loop down). */
	private static final Map<EventLoop, Scheduler> LOOPS = new ConcurrentHashMap<>();

	/**
	 * A channel's event loop as a scheduler (tasks run after the one that schedules them, in order), or the
	 * parallel scheduler without a channel.
	 */
	static Scheduler eventLoop(@Nullable Channel channel) {
		return (channel != null)
				? LOOPS.computeIfAbsent(channel.eventLoop(), (loop) -> Schedulers.fromExecutorService(loop, "signalr-loop"))
				: Schedulers.parallel();
	}

	/** The request of a transport, as the connection and hub methods see it. */
	static Mono<ConnectionRequestAndUser> describe(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		// kept for the connection's life: the query is parsed again only if someone reads it
		// parsing the cookies makes Reactor Netty keep its own maps of them: only when there are any
		MultiValueMap<String, HttpCookie> cookies = request.getHeaders().containsHeader(HttpHeaders.COOKIE)
				? request.getCookies() : LazyQueryParams.NO_COOKIES;
		ConnectionRequest described = new ConnectionRequest(request.getURI(), request.getHeaders(),
				LazyQueryParams.of(request.getURI()), cookies.isEmpty() ? LazyQueryParams.NO_COOKIES : cookies,
				request.getRemoteAddress());
		return authenticatedUser(exchange)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map((user) -> new ConnectionRequestAndUser(described, user.orElse(null)));
	}

	/** A transport request and its authenticated user. */
	record ConnectionRequestAndUser(ConnectionRequest request, @Nullable Principal user) {
	}
}
