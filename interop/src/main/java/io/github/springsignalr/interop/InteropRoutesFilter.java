package io.github.springsignalr.interop;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.github.springsignalr.protocol.JsonStrings;
import reactor.core.publisher.Mono;

/**
 * The cross-cutting routes of the reference's test server, in its order: CORS, {@code /echoredirect},
 * {@code /redirect}, cookies on negotiate, {@code /bad-negotiate}.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InteropRoutesFilter implements WebFilter {

	private final AtomicInteger redirects = new AtomicInteger();

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders requestHeaders = request.getHeaders();
		String origin = requestHeaders.getOrigin();
		if (origin != null) {
			HttpHeaders headers = response.getHeaders();
			headers.setAccessControlAllowOrigin(origin);
			headers.setAccessControlAllowCredentials(true);
			String method = requestHeaders.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
			if (method != null) {
				headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, method);
			}
			String allowHeaders = requestHeaders.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
			if (allowHeaders != null) {
				headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
			}
		}
		if (request.getMethod() == HttpMethod.OPTIONS) {
			response.setStatusCode(HttpStatus.NO_CONTENT);
			return response.setComplete();
		}
		String path = request.getPath().pathWithinApplication().value();
		if (startsWithSegment(path, "/echoredirect")) {
			String target = "/echo" + path.substring("/echoredirect".length());
			String query = request.getURI().getRawQuery();
			response.setStatusCode(HttpStatus.TEMPORARY_REDIRECT);
			response.getHeaders().set(HttpHeaders.LOCATION, (query != null) ? target + "?" + query : target);
			return response.setComplete();
		}
		if (startsWithSegment(path, "/redirect")) {
			String baseUrl = request.getQueryParams().getFirst("baseUrl");
			String url = URLDecoder.decode((baseUrl != null) ? baseUrl : "", StandardCharsets.UTF_8)
					+ "/testHub?numRedirects=" + this.redirects.incrementAndGet();
			StringBuilder json = new StringBuilder("{\"url\":");
			JsonStrings.quote(json, url).append('}');
			return write(response, HttpStatus.OK, MediaType.APPLICATION_JSON, json.toString());
		}
		if (path.contains("/negotiate")) {
			boolean https = "https".equals(request.getURI().getScheme());
			response.addCookie(cookie("testCookie", "testValue", https, null));
			response.addCookie(cookie("testCookie2", "testValue2", https, null));
			response.addCookie(cookie("expiredCookie", "doesntmatter", https, Duration.ZERO));
		}
		if (startsWithSegment(path, "/bad-negotiate")) {
			return write(response, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Some response from server");
		}
		return chain.filter(exchange);
	}

	private static ResponseCookie cookie(String name, String value, boolean https, @org.jspecify.annotations.Nullable Duration maxAge) {
		ResponseCookie.ResponseCookieBuilder builder = ResponseCookie.from(name, value).path("/");
		if (maxAge != null) {
			builder.maxAge(maxAge);
		}
		if (https) {
			builder.sameSite("None").secure(true).partitioned(true);
		}
		return builder.build();
	}

	private static boolean startsWithSegment(String path, String segment) {
		String lower = path.toLowerCase(java.util.Locale.ROOT);
		return lower.equals(segment) || lower.startsWith(segment + "/") || lower.startsWith(segment);
	}

	private static Mono<Void> write(ServerHttpResponse response, HttpStatus status, MediaType type, String body) {
		response.setStatusCode(status);
		response.getHeaders().setContentType(type);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
	}
}
