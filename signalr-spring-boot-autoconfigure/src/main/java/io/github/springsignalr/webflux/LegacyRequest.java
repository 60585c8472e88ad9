package io.github.springsignalr.webflux;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import io.github.springsignalr.ConnectionRequest;

/**
 * The parameters of a classic SignalR request: names matched ignoring case, values form-decoded
 * ({@code +} is a space), an empty value as absent; long polling's {@code messageId} and
 * {@code groupsToken} and {@code /send}'s {@code data} may come in the form body instead.
 */
final class LegacyRequest {

	private final ServerWebExchange exchange;

	private final MultiValueMap<String, String> query;

	private final MultiValueMap<String, String> form;

	private LegacyRequest(ServerWebExchange exchange, MultiValueMap<String, String> query,
			MultiValueMap<String, String> form) {
		this.exchange = exchange;
		this.query = query;
		this.form = form;
	}

	static LegacyRequest of(ServerWebExchange exchange) {
		return new LegacyRequest(exchange, decoded(exchange.getRequest().getQueryParams()),
				new LinkedMultiValueMap<>());
	}

	/** The same request with its form body read. */
	LegacyRequest withForm(MultiValueMap<String, String> form) {
		return new LegacyRequest(this.exchange, this.query, form);
	}

	private static MultiValueMap<String, String> decoded(MultiValueMap<String, String> raw) {
		MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
		for (Map.Entry<String, List<String>> entry : raw.entrySet()) {
			for (String value : entry.getValue()) {
				decoded.add(decode(entry.getKey()), (value != null) ? decode(value) : "");
			}
		}
		return decoded;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	/** A query parameter, ignoring the case of its name; {@code null} when absent or empty. */
	@Nullable String query(String name) {
		return find(this.query, name);
	}

	/** A query parameter, else the form field of that name. */
	@Nullable String queryOrForm(String name) {
		String value = find(this.query, name);
		return (value != null) ? value : find(this.form, name);
	}

	/** A form field, else the query parameter of that name. */
	@Nullable String formOrQuery(String name) {
		String value = find(this.form, name);
		return (value != null) ? value : find(this.query, name);
	}

	private static @Nullable String find(MultiValueMap<String, String> values, String name) {
		for (Map.Entry<String, List<String>> entry : values.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
				String value = entry.getValue().get(0);
				return (value == null || value.isEmpty()) ? null : value;
			}
		}
		return null;
	}

	ServerWebExchange exchange() {
		return this.exchange;
	}

	/** The request as connections keep it. */
	ConnectionRequest connectionRequest() {
		ServerHttpRequest request = this.exchange.getRequest();
		return new ConnectionRequest(request.getURI(), request.getHeaders(), this.query, request.getCookies(),
				request.getRemoteAddress());
	}
}
