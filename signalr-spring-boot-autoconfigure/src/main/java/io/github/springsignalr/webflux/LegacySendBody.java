package io.github.springsignalr.webflux;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import io.github.springsignalr.legacy.LegacyParameters;

/**
 * The form body of a classic {@code /send} ({@code data=<payload>}), bounded as a WebSocket frame is: a
 * payload over the classic MaxIncomingWebSocketMessageSize (64 KiB), or a body that could not hold a
 * smaller one, is refused with 413 before anything reaches the connection, which lives on.
 */
final class LegacySendBody {

	private LegacySendBody() {
	}

	/** The payload of a {@code /send}: the form field {@code data}, else the query's (JSONP); {@code null} if none. */
	static Mono<LegacyRequest> read(LegacyRequest request) {
		ServerWebExchange exchange = request.exchange();
		MediaType type = exchange.getRequest().getHeaders().getContentType();
		if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
			return Mono.fromSupplier(() -> request.withSendForm(new LinkedMultiValueMap<>()));
		}
		if (exchange.getRequest().getHeaders().getContentLength() > LegacyParameters.MAX_BODY) {
			return Mono.error(LegacyParameters.tooLarge());
		}
		Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
		return DataBufferUtils.join(exchange.getRequest().getBody(), LegacyParameters.MAX_BODY)
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.onErrorMap(DataBufferLimitException.class, (ex) -> LegacyParameters.tooLarge())
			.defaultIfEmpty("")
			.map((body) -> request.withSendForm(LegacyParameters.parse(body, charset)));
	}
}
