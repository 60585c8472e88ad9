package io.github.springsignalr.interop;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.springsignalr.protocol.JsonStrings;

/**
 * The servlet twin of {@link InteropRoutesFilter}, for the server on Spring MVC (interop/servlet): the cross-cutting routes of the
 * reference's test server, in its order: CORS, {@code /echoredirect}, {@code /redirect}, cookies on
 * negotiate, {@code /bad-negotiate}.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InteropServletRoutesFilter extends OncePerRequestFilter {

	private final AtomicInteger redirects = new AtomicInteger();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null) {
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
			String method = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
			if (method != null) {
				response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, method);
			}
			String allowHeaders = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
			if (allowHeaders != null) {
				response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
			}
		}
		if ("OPTIONS".equals(request.getMethod())) {
			response.setStatus(HttpStatus.NO_CONTENT.value());
			return;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (startsWithSegment(path, "/echoredirect")) {
			String target = "/echo" + path.substring("/echoredirect".length());
			String query = request.getQueryString();
			response.setStatus(HttpStatus.TEMPORARY_REDIRECT.value());
			response.setHeader(HttpHeaders.LOCATION, (query != null) ? target + "?" + query : target);
			return;
		}
		if (startsWithSegment(path, "/redirect")) {
			String baseUrl = request.getParameter("baseUrl");
			String url = URLDecoder.decode((baseUrl != null) ? baseUrl : "", StandardCharsets.UTF_8)
					+ "/testHub?numRedirects=" + this.redirects.incrementAndGet();
			StringBuilder json = new StringBuilder("{\"url\":");
			JsonStrings.quote(json, url).append('}');
			write(response, HttpStatus.OK, MediaType.APPLICATION_JSON, json.toString());
			return;
		}
		if (path.contains("/negotiate")) {
			boolean https = request.isSecure();
			response.addHeader(HttpHeaders.SET_COOKIE, cookie("testCookie", "testValue", https, null).toString());
			response.addHeader(HttpHeaders.SET_COOKIE, cookie("testCookie2", "testValue2", https, null).toString());
			response.addHeader(HttpHeaders.SET_COOKIE, cookie("expiredCookie", "doesntmatter", https, Duration.ZERO).toString());
		}
		if (startsWithSegment(path, "/bad-negotiate")) {
			write(response, HttpStatus.BAD_REQUEST, MediaType.TEXT_PLAIN, "Some response from server");
			return;
		}
		chain.doFilter(request, response);
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return true;
	}

	private static ResponseCookie cookie(String name, String value, boolean https, @Nullable Duration maxAge) {
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
		String lower = path.toLowerCase(Locale.ROOT);
		return lower.equals(segment) || lower.startsWith(segment + "/") || lower.startsWith(segment);
	}

	private static void write(HttpServletResponse response, HttpStatus status, MediaType type, String body)
			throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status.value());
		response.setContentType(type.toString());
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}
}
