package io.github.springsignalr;

import java.net.InetSocketAddress;
import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * The HTTP request a connection was established with: the WebSocket upgrade, the event-stream GET,
 * or the first poll.
 * @param uri full request URI
 * @param headers request headers (read-only)
 * @param queryParams decoded query parameters
 * @param cookies request cookies
 * @param remoteAddress address of the client, when known
 */
public record ConnectionRequest(URI uri, HttpHeaders headers, MultiValueMap<String, String> queryParams,
		MultiValueMap<String, HttpCookie> cookies, @Nullable InetSocketAddress remoteAddress) {
}
