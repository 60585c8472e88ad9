package io.github.springsignalr.webflux;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import io.github.springsignalr.legacy.LegacyRequestException;

/**
 * The form body of a classic {@code /send} ({@code data=<payload>}), bounded as a WebSocket frame is: a
 * payload over the classic MaxIncomingWebSocketMessageSize (64 KiB), or a body that could not hold a
 * smaller one, is refused with 413 before anything reaches the connection, which lives on.
 */
final class LegacySendBody {

	/** The largest payload, as the reference's MaxIncomingWebSocketMessageSize. */
	static final int MAX_DATA = LegacyWebSocket.MAX_MESSAGE_SIZE;

	/** The largest body: a payload of the limit percent-encoded (three bytes for each), and room for other fields. */
	static final int MAX_BODY = 3 * MAX_DATA + 4096;

	static final String TOO_LARGE = "The maximum message size of " + MAX_DATA + "B was exceeded.";

	private LegacySendBody() {
	}

	/** The payload of a {@code /send}: the form field {@code data}, else the query's (JSONP); {@code null} if none. */
	static Mono<LegacyRequest> read(LegacyRequest request) {
		ServerWebExchange exchange = request.exchange();
		MediaType type = exchange.getRequest().getHeaders().getContentType();
		if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
			return Mono.fromSupplier(() -> checked(request.withForm(new LinkedMultiValueMap<>())));
		}
		if (exchange.getRequest().getHeaders().getContentLength() > MAX_BODY) {
			return Mono.error(tooLarge());
		}
		Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
		return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge())
			.defaultIfEmpty("")
			.map((body) -> checked(request.withForm(parse(body, charset))));
	}

	private static LegacyRequest checked(LegacyRequest request) {
		String data = request.formOrQuery("data");
		if (data != null && data.length() > MAX_DATA / 3 && data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA) {
			throw tooLarge();
		}
		return request;
	}

	private static MultiValueMap<String, String> parse(String body, Charset charset) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (String pair : body.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			form.add(decode(name, charset), decode(value, charset));
		}
		return form;
	}

	/** Form-decoded, or as it is when it is not well formed (as the query's parameters). */
	private static String decode(String text, Charset charset) {
		try {
			return URLDecoder.decode(text, charset);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	private static LegacyRequestException tooLarge() {
		return new LegacyRequestException(413, TOO_LARGE);
	}
}
