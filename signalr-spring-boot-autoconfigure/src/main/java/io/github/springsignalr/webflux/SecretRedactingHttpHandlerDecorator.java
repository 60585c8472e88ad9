package io.github.springsignalr.webflux;

import java.net.URI;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

/**
 * Keeps SignalR's secrets out of Spring's request log. SignalR clients put the bearer token
 * ({@code access_token}) and the connection token ({@code id}, or {@code connectionToken} for classic
 * ASP.NET SignalR 2 clients) in the query string of the requests to a hub, and Spring WebFlux logs each
 * request line with its query at DEBUG ({@code org.springframework.web.server.adapter.HttpWebHandlerAdapter}).
 * This decorator replaces the application's {@link HttpWebHandlerAdapter} with one configured identically
 * whose request line shows those values as {@code [redacted]} on SignalR paths ({@code connectionToken}
 * on every path, so that the classic endpoints need not be listed); everything else is logged as before.
 * <p>
 * When the application's handler is not a plain {@code HttpWebHandlerAdapter} (another decorator got
 * there first), it is left as it is.
 */
public final class SecretRedactingHttpHandlerDecorator implements HttpHandlerDecoratorFactory {

	private static final Pattern SECRET = Pattern.compile("(^|&)(access_token|id|(?i:connectionToken))=[^&]*");

	/** The classic protocol's connection token, whose name no other parameter is likely to have. */
	private static final Pattern CONNECTION_TOKEN = Pattern.compile("(^|&)((?i:connectionToken))=[^&]*");

	private final Predicate<String> signalRPath;

	/**
	 * @param signalRPath whether a request path (within the application) belongs to a SignalR endpoint
	 */
	public SecretRedactingHttpHandlerDecorator(Predicate<String> signalRPath) {
		this.signalRPath = signalRPath;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		if (handler.getClass() != HttpWebHandlerAdapter.class) {
			return handler;
		}
		HttpWebHandlerAdapter original = (HttpWebHandlerAdapter) handler;
		RedactingAdapter redacting = new RedactingAdapter(original, this.signalRPath);
		redacting.setSessionManager(original.getSessionManager());
		redacting.setCodecConfigurer(original.getCodecConfigurer());
		redacting.setLocaleContextResolver(original.getLocaleContextResolver());
		if (original.getForwardedHeaderTransformer() != null) {
			redacting.setForwardedHeaderTransformer(original.getForwardedHeaderTransformer());
		}
		redacting.setObservationRegistry(original.getObservationRegistry());
		if (original.getObservationConvention() != null) {
			redacting.setObservationConvention(original.getObservationConvention());
		}
		if (original.getDefaultHtmlEscape() != null) {
			redacting.setDefaultHtmlEscape(original.getDefaultHtmlEscape());
		}
		if (original.getApplicationContext() != null) {
			redacting.setApplicationContext(original.getApplicationContext());
		}
		redacting.afterPropertiesSet();
		return redacting;
	}

	/** Whether the handler is WebFlux's own adapter, as this decorator leaves it (or left it alone). */
	static boolean isWebFluxAdapter(HttpHandler handler) {
		return handler.getClass() == HttpWebHandlerAdapter.class || handler.getClass() == RedactingAdapter.class;
	}

	/**
	 * The URI with the values of its {@code access_token}, {@code id} and {@code connectionToken} query
	 * parameters replaced by
	 * {@code [redacted]}, for logs and for what is handed to code that may log it.
	 */
	public static URI redact(URI uri) {
		String query = uri.getRawQuery();
		if (query == null || query.isEmpty()) {
			return uri;
		}
		String redacted = redact(query);
		if (redacted.equals(query)) {
			return uri;
		}
		String text = uri.toString();
		int start = text.indexOf('?') + 1;
		return URI.create(text.substring(0, start) + redacted.replace("[redacted]", "%5Bredacted%5D")
				+ text.substring(start + query.length()));
	}

	/**
	 * The exchange as a WebSocket session should see it: Spring logs the session's URI at DEBUG, so the
	 * tokens in its query are redacted (the connection has been resolved from them already).
	 */
	public static ServerWebExchange withoutSecrets(ServerWebExchange exchange) {
		URI uri = exchange.getRequest().getURI();
		URI redacted = redact(uri);
		if (redacted == uri) {
			return exchange;
		}
		return exchange.mutate().request((request) -> request.uri(redacted)).build();
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

	private static final class RedactingAdapter extends HttpWebHandlerAdapter {

		private final Predicate<String> signalRPath;

		RedactingAdapter(HttpWebHandlerAdapter original, Predicate<String> signalRPath) {
			super(original.getDelegate());
			this.signalRPath = signalRPath;
		}

		@Override
		protected String formatRequest(ServerHttpRequest request) {
			String query = request.getURI().getRawQuery();
			if (query == null || query.isEmpty()) {
				return super.formatRequest(request);
			}
			String redacted = this.signalRPath.test(request.getPath().pathWithinApplication().value())
					? redact(query) : redact(query, CONNECTION_TOKEN);
			if (redacted.equals(query)) {
				return super.formatRequest(request);
			}
			return "HTTP " + request.getMethod() + " \"" + request.getPath() + "?" + redacted + "\"";
		}
	}
}
