package io.github.springsignalr.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import io.github.springsignalr.webmvc.SecretRedactingServletFilter;

/**
 * The servlet twin of {@link AccessTokenQueryParameterWebFilter}: browsers cannot put headers on WebSocket
 * and EventSource requests, so SignalR clients send their bearer token as the {@code access_token} query
 * parameter there. For the GET requests of SignalR endpoints only, this filter presents that parameter as
 * an {@code Authorization: Bearer} header to Spring Security's filter chain, which it runs before, so any
 * bearer authentication works unchanged. The token is never logged.
 */
public final class AccessTokenQueryParameterServletFilter extends OncePerRequestFilter implements Ordered {

	private static final String PARAMETER = "access_token";

	private final Predicate<String> signalRPath;

	/**
	 * @param signalRPath whether a request path (within the application) belongs to a SignalR endpoint
	 */
	public AccessTokenQueryParameterServletFilter(Predicate<String> signalRPath) {
		this.signalRPath = signalRPath;
	}

	@Override
	public int getOrder() {
		return AccessTokenQueryParameterWebFilter.ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"GET".equals(request.getMethod()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			chain.doFilter(request, response);
			return;
		}
		String token = token(SecretRedactingServletFilter.originalQuery(request));
		if (token == null || token.isEmpty()
				|| !this.signalRPath.test(request.getRequestURI().substring(request.getContextPath().length()))) {
			chain.doFilter(request, response);
			return;
		}
		chain.doFilter(new BearerRequest(request, "Bearer " + token), response);
	}

	private static @Nullable String token(@Nullable String query) {
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&")) {
			if (pair.startsWith(PARAMETER + "=")) {
				return UriUtils.decode(pair.substring(PARAMETER.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	/** The request with an {@code Authorization} header. */
	private static final class BearerRequest extends HttpServletRequestWrapper {

		private final String authorization;

		BearerRequest(HttpServletRequest request, String authorization) {
			super(request);
			this.authorization = authorization;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? this.authorization : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.enumeration(List.of(this.authorization))
					: super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
			names.add(HttpHeaders.AUTHORIZATION);
			return Collections.enumeration(names);
		}
	}
}
