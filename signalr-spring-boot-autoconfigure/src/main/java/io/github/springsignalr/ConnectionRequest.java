package io.github.springsignalr;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * The HTTP request a connection was established with: the WebSocket upgrade, the event-stream GET,
 * or the first poll. A connection keeps it for its whole life, so it holds the URI as its text and
 * builds the {@link URI} again when asked (a parsed URI keeps each of its parts as a string of its own).
 */
public final class ConnectionRequest {

	private final String uri;

	private final HttpHeaders headers;

	private final MultiValueMap<String, String> queryParams;

	private final MultiValueMap<String, HttpCookie> cookies;

	private final @Nullable InetSocketAddress remoteAddress;

	/**
	 * @param uri full request URI
	 * @param headers request headers (read-only)
	 * @param queryParams decoded query parameters
	 * @param cookies request cookies
	 * @param remoteAddress address of the client, when known
	 */
	public ConnectionRequest(URI uri, HttpHeaders headers, MultiValueMap<String, String> queryParams,
			MultiValueMap<String, HttpCookie> cookies, @Nullable InetSocketAddress remoteAddress) {
		this.uri = uri.toString();
		this.headers = headers;
		this.queryParams = queryParams;
		this.cookies = cookies;
		this.remoteAddress = remoteAddress;
	}

	/** The full request URI. */
	public URI uri() {
		return URI.create(this.uri);
	}

	/** The request headers (read-only). */
	public HttpHeaders headers() {
		return this.headers;
	}

	/** The decoded query parameters. */
	public MultiValueMap<String, String> queryParams() {
		return this.queryParams;
	}

	/** The request cookies. */
	public MultiValueMap<String, HttpCookie> cookies() {
		return this.cookies;
	}

	/** The address of the client, when known. */
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ConnectionRequest that && this.uri.equals(that.uri)
				&& this.headers.equals(that.headers) && this.queryParams.equals(that.queryParams)
				&& this.cookies.equals(that.cookies) && Objects.equals(this.remoteAddress, that.remoteAddress));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.uri, this.headers, this.queryParams, this.cookies, this.remoteAddress);
	}

	@Override
	public String toString() {
		// the query may carry an access token: not shown
		int query = this.uri.indexOf('?');
		String shown = (query < 0) ? this.uri : this.uri.substring(0, query) + "?...";
		return "ConnectionRequest[uri=" + shown + ", remoteAddress=" + this.remoteAddress + "]";
	}
}
