package io.github.springsignalr.webflux;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

/**
 * The decoded query parameters of a connection's request, parsed from its URI when first read: a
 * connection keeps its request for its whole life, and most never look at the query again.
 * Read-only, decoded exactly as {@code ServerHttpRequest.getQueryParams()} decodes them. A map of its own
 * rather than an {@code AbstractMap}, whose cached views would be two fields more on every connection.
 */
final class LazyQueryParams implements MultiValueMap<String, String> {

	/** No parameters: one shared read-only map. */
	static final MultiValueMap<String, String> NONE = CollectionUtils.unmodifiableMultiValueMap(
			new LinkedMultiValueMap<>(0));

	/** No cookies: one shared read-only map. */
	static final MultiValueMap<String, HttpCookie> NO_COOKIES = CollectionUtils.unmodifiableMultiValueMap(
			new LinkedMultiValueMap<>(0));

	/** The URI as text: a parsed URI holds each of its parts as a string of its own. */
	private final String uri;

	private volatile @Nullable MultiValueMap<String, String> parsed;

	private LazyQueryParams(String uri) {
		this.uri = uri;
	}

	/** The parameters of {@code uri}'s query. */
	static MultiValueMap<String, String> of(URI uri) {
		String query = uri.getRawQuery();
		return (query == null || query.isEmpty()) ? NONE : new LazyQueryParams(uri.toString());
	}

	private MultiValueMap<String, String> parsed() {
		MultiValueMap<String, String> parsed = this.parsed;
		if (parsed == null) {
			// Spring's own parsing, through a request that has nothing but the URI
			parsed = new UriOnlyRequest(URI.create(this.uri)).getQueryParams();
			this.parsed = parsed;
		}
		return parsed;
	}

	@Override
	public Set<Map.Entry<String, List<String>>> entrySet() {
		return parsed().entrySet();
	}

	@Override
	public Set<String> keySet() {
		return parsed().keySet();
	}

	@Override
	public Collection<List<String>> values() {
		return parsed().values();
	}

	@Override
	public boolean isEmpty() {
		return parsed().isEmpty();
	}

	@Override
	public boolean containsValue(@Nullable Object value) {
		return parsed().containsValue(value);
	}

	@Override
	public @Nullable List<String> put(String key, List<String> value) {
		return parsed().put(key, value);
	}

	@Override
	public @Nullable List<String> remove(@Nullable Object key) {
		return parsed().remove(key);
	}

	@Override
	public void putAll(Map<? extends String, ? extends List<String>> map) {
		parsed().putAll(map);
	}

	@Override
	public void clear() {
		parsed().clear();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || parsed().equals(other);
	}

	@Override
	public int hashCode() {
		return parsed().hashCode();
	}

	@Override
	public String toString() {
		return parsed().toString();
	}

	@Override
	public @Nullable List<String> get(@Nullable Object key) {
		return parsed().get(key);
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return parsed().containsKey(key);
	}

	@Override
	public int size() {
		return parsed().size();
	}

	@Override
	public @Nullable String getFirst(String key) {
		return parsed().getFirst(key);
	}

	@Override
	public void add(String key, @Nullable String value) {
		parsed().add(key, value);
	}

	@Override
	public void addAll(String key, List<? extends String> values) {
		parsed().addAll(key, values);
	}

	@Override
	public void addAll(MultiValueMap<String, String> values) {
		parsed().addAll(values);
	}

	@Override
	public void set(String key, @Nullable String value) {
		parsed().set(key, value);
	}

	@Override
	public void setAll(Map<String, String> values) {
		parsed().setAll(values);
	}

	@Override
	public Map<String, String> toSingleValueMap() {
		return parsed().toSingleValueMap();
	}

	/** A request with only a URI, for its query parsing. */
	private static final class UriOnlyRequest extends AbstractServerHttpRequest {

		UriOnlyRequest(URI uri) {
			super(HttpMethod.GET, uri, null, new HttpHeaders());
		}

		@Override
		protected MultiValueMap<String, HttpCookie> initCookies() {
			return new LinkedMultiValueMap<>(0);
		}

		@Override
		protected @Nullable SslInfo initSslInfo() {
			return null;
		}

		@Override
		public <T> T getNativeRequest() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.empty();
		}
	}
}
