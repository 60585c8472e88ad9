package io.github.springsignalr.interop;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The reference's {@code TestHub}, method for method. */
@Hub("/testhub")
public class TestHub {

	public String echo(String message) {
		return message;
	}

	public String getCallerConnectionId(HubCallerContext context) {
		return context.connectionId();
	}

	public int getNumRedirects(HubCallerContext context) {
		String value = context.request().queryParams().getFirst("numRedirects");
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	public void throwException(String message) {
		throw new InvalidOperationException(message);
	}

	public Mono<Void> invokeWithString(String message, HubCallerClients clients) {
		return clients.caller().send("Message", message);
	}

	public Mono<Void> sendCustomObject(CustomObject customObject, HubCallerClients clients) {
		return clients.caller().send("CustomObject", customObject);
	}

	public Flux<String> stream() {
		return Flux.just("a", "b", "c");
	}

	public Flux<Integer> emptyStream() {
		return Flux.empty();
	}

	public Flux<String> streamThrowException(String message) {
		throw new InvalidOperationException(message);
	}

	public Flux<Object> infiniteStream(HubCallerClients clients) {
		return Flux.never().doOnCancel(() -> clients.caller().send("StreamCanceled"));
	}

	public Mono<String> streamingConcat(Flux<String> stream) {
		return stream.collect(StringBuilder::new, StringBuilder::append).map(StringBuilder::toString);
	}

	public String getActiveTransportName(HubCallerContext context) {
		return context.transport().wireName();
	}

	public ComplexObject echoComplexObject(ComplexObject complexObject) {
		return complexObject;
	}

	public ComplexObject sendComplexObject() {
		return new ComplexObject("hello world", new int[] { 1, 2, 3 }, new byte[] { 1, 2, 3 },
				UUID.fromString("00010203-0405-0607-0706-050403020100"), Instant.parse("2000-01-01T00:00:00Z"));
	}

	public @Nullable String getContentTypeHeader(HubCallerContext context) {
		return header(context, "Content-Type");
	}

	public @Nullable String getHeader(String name, HubCallerContext context) {
		return header(context, name);
	}

	private static @Nullable String header(HubCallerContext context, String name) {
		List<String> values = context.request().headers().get(name);
		return (values == null || values.isEmpty()) ? null : String.join(",", values);
	}

	public @Nullable String getCookie(String name, HubCallerContext context) {
		HttpCookie cookie = context.request().cookies().getFirst(name);
		return (cookie != null) ? cookie.getValue() : null;
	}
}
