package io.github.springsignalr.webflux;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The query parameters a connection keeps are the ones Spring decodes from its request, read-only.
 */
class LazyQueryParamsTests {

	@Test
	void decodesLikeTheRequest() {
		URI uri = URI.create("http://localhost/hub?id=abc-_Q&access_token=x%20y%2Bz&flag&empty=&a=1&a=2"
				+ "&plus=a+b&utf=%C3%A9%E2%82%AC&=novalue&x=%3D%26");
		// as Spring's request decodes them (MockServerHttpRequest does not decode)
		MultiValueMap<String, String> expected = new LinkedMultiValueMap<>();
		expected.add("id", "abc-_Q");
		expected.add("access_token", "x y+z");
		expected.add("flag", null);
		expected.add("empty", "");
		expected.add("a", "1");
		expected.add("a", "2");
		expected.add("plus", "a b");
		expected.add("utf", "\u00e9\u20ac");
		expected.add("novalue", null);
		expected.add("x", "=&");
		MultiValueMap<String, String> params = LazyQueryParams.of(uri);
		assertThat(params).isEqualTo(expected);
		assertThat(params.getFirst("access_token")).isEqualTo("x y+z");
		assertThat(params.get("a")).containsExactly("1", "2");
		assertThat(params.containsKey("flag")).isTrue();
		assertThat(params.getFirst("utf")).isEqualTo("\u00e9\u20ac");
		assertThat(params.toSingleValueMap()).isEqualTo(expected.toSingleValueMap());
		assertThat(params.keySet()).containsExactlyElementsOf(expected.keySet());
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> params.add("b", "c"));
	}

	@Test
	void aUriWithoutQueryHasNone() {
		assertThat(LazyQueryParams.of(URI.create("http://localhost/hub"))).isEmpty();
		assertThat(LazyQueryParams.of(URI.create("http://localhost/hub?"))).isEmpty();
	}
}
