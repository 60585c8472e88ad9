package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps SignalR's secrets out of Spring's request log on the servlet stack, as WebFlux's
 * {@code SecretRedactingHttpHandlerDecorator} does there. SignalR clients put the bearer token
 * ({@code access_token}) and the connection token ({@code id}, or {@code connectionToken} for classic
 * ASP.NET SignalR 2 clients, redacted on every path) in the query string of the requests to a hub, and
 * Spring MVC logs each request line with its query at DEBUG
 * ({@code org.springframework.web.servlet.DispatcherServlet}). On SignalR paths this filter shows the
 * rest of the chain a query string with those values as {@code [redacted]}; the SignalR adapter reads the
 * original through {@link #originalQuery(HttpServletRequest)}, and request parameters are left as they are.
 */
public final class SecretRedactingServletFilter extends OncePerRequestFilter implements Ordered {

	/** Runs before the SignalR filters that read the query (the bearer token's, order -200) and Spring Security. */
	public static final int ORDER = -300;

	private static final String ORIGINAL_QUERY = SecretRedactingServletFilter.class.getName() + ".QUERY";

	private static final Pattern SECRET = Pattern.compile("(^|&)(access_token|id|(?i:connectionToken))=[^&]*");

	/** The classic protocol's connection token, whose name no other parameter is likely to have. */
	private static final Pattern CONNECTION_TOKEN = Pattern.compile("(^|&)((?i:connectionToken))=[^&]*");

	private final Predicate<String> signalRPath;

	/**
	 * @param signalRPath whether a request path (within the application) belongs to a SignalR endpoint
	 */
	public SecretRedactingServletFilter(Predicate<String> signalRPath) {
		this.signalRPath = signalRPath;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** The request's query string as the client sent it, secrets included. */
	public static @Nullable String originalQuery(HttpServletRequest request) {
		Object original = request.getAttribute(ORIGINAL_QUERY);
		return (original instanceof String query) ? query : request.getQueryString();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query == null) {
			chain.doFilter(request, response);
			return;
		}
		// the classic endpoints' connectionToken on every path, so that they need not be listed
		boolean signalR = this.signalRPath.test(request.getRequestURI().substring(request.getContextPath().length()));
		String redacted = redact(query, signalR ? SECRET : CONNECTION_TOKEN);
		if (query.equals(redacted)) {
			chain.doFilter(request, response);
			return;
		}
		request.setAttribute(ORIGINAL_QUERY, query);
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getQueryString() {
				return redacted;
			}
		}, response);
	}

	/** The query with the values of {@code access_token}, {@code id} and {@code connectionToken} replaced. */
	static String redact(String query) {
		return redact(query, SECRET);
	}

	private static String redact(String query, Pattern secret) {
		Matcher matcher = secret.matcher(query);
		if (!matcher.find()) {
			return query;
		}
		StringBuilder redacted = new StringBuilder();
		do {
			matcher.appendReplacement(redacted, "$1$2=[redacted]");
		}
		while (matcher.find());
		matcher.appendTail(redacted);
		return redacted.toString();
	}
}
