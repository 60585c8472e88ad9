package io.github.springsignalr.webflux;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.legacy.LegacyParameters;

/**
 * A classic SignalR request on WebFlux: its exchange and its {@link LegacyParameters} (names matched
 * ignoring case, values form-decoded, an empty value as absent; long polling's {@code messageId} and
 * {@code groupsToken} and {@code /send}'s {@code data} may come in the form body instead).
 */
final class LegacyRequest {

	private final ServerWebExchange exchange;

	private final LegacyParameters parameters;

	private LegacyRequest(ServerWebExchange exchange, LegacyParameters parameters) {
		this.exchange = exchange;
		this.parameters = parameters;
	}

	static LegacyRequest of(ServerWebExchange exchange) {
		return new LegacyRequest(exchange, LegacyParameters.ofRawQuery(exchange.getRequest().getQueryParams()));
	}

	/** The same request with its form body read. */
	LegacyRequest withForm(MultiValueMap<String, String> form) {
		return new LegacyRequest(this.exchange, this.parameters.withForm(form));
	}

	/**
	 * The same request with the form body of a {@code /send}.
	 * @throws io.github.springsignalr.legacy.LegacyRequestException 413 for a payload over the limit
	 */
	LegacyRequest withSendForm(MultiValueMap<String, String> form) {
		return new LegacyRequest(this.exchange, this.parameters.withSendForm(form));
	}

	/** A query parameter, ignoring the case of its name; {@code null} when absent or empty. */
	@Nullable String query(String name) {
		return this.parameters.query(name);
	}

	/** A query parameter, else the form field of that name. */
	@Nullable String queryOrForm(String name) {
		return this.parameters.queryOrForm(name);
	}

	/** A form field, else the query parameter of that name. */
	@Nullable String formOrQuery(String name) {
		return this.parameters.formOrQuery(name);
	}

	ServerWebExchange exchange() {
		return this.exchange;
	}

	/** The request as connections keep it. */
	ConnectionRequest connectionRequest() {
		ServerHttpRequest request = this.exchange.getRequest();
		return new ConnectionRequest(request.getURI(), request.getHeaders(), this.parameters.query(),
				request.getCookies(), request.getRemoteAddress());
	}
}
