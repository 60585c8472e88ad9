package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MimeTypeUtils;
import org.springframework.util.MultiValueMap;

import io.github.springsignalr.ConnectionRequest;

/**
 * What the negotiate and transport requests share on a servlet container: reading the request (its user,
 * the query, what it accepts, the {@link ConnectionRequest} a connection keeps) and writing a short answer.
 */
final class TransportRequests {

	private static final String ANONYMOUS = "org.springframework.security.authentication.AnonymousAuthenticationToken";

	private static final MultiValueMap<String, String> NO_PARAMETERS = CollectionUtils
		.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0));

	private static final MultiValueMap<String, HttpCookie> NO_COOKIES = CollectionUtils
		.unmodifiableMultiValueMap(new LinkedMultiValueMap<>(0));

	private TransportRequests() {
	}

	/** The request's principal, unless it is Spring Security's anonymous one (which is nobody). */
	static @Nullable Principal authenticatedUser(HttpServletRequest request) {
		Principal user = request.getUserPrincipal();
		return (user == null || ANONYMOUS.equals(user.getClass().getName())) ? null : user;
	}

	/** The name of the request's authenticated user, if any. */
	static @Nullable String userName(HttpServletRequest request) {
		Principal user = authenticatedUser(request);
		return (user != null) ? user.getName() : null;
	}

	/** Whether the request accepts an event stream (Server-Sent Events). */
	static boolean acceptsEventStream(HttpServletRequest request) {
		for (String value : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
			for (String token : MimeTypeUtils.tokenize(value)) {
				MediaType type;
				try {
					type = MediaType.parseMediaType(token);
				}
				catch (InvalidMediaTypeException ex) {
					// skipped like the reference's typed-header parsing does (signalrcore polls with "Accept: Text")
					continue;
				}
				if (!type.isWildcardType() && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)) {
					return true;
				}
			}
		}
		return false;
	}

	/** A query parameter by name, ignoring case as the reference does. */
	static @Nullable String queryParam(HttpServletRequest request, String name) {
		return queryParam(request, name, true);
	}

	/**
	 * A query parameter from the query string alone (never a form body, which the servlet API's parameters
	 * would read), decoded as WebFlux decodes it.
	 */
	static @Nullable String queryParam(HttpServletRequest request, String name, boolean ignoreCase) {
		String query = SecretRedactingServletFilter.originalQuery(request);
		if (query == null || query.isEmpty()) {
			return null;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String key = decode((equals < 0) ? pair : pair.substring(0, equals));
			if (ignoreCase ? key.equalsIgnoreCase(name) : key.equals(name)) {
				return (equals < 0) ? "" : decode(pair.substring(equals + 1));
			}
		}
		return null;
	}

	/** Answers with a short body (none when empty); {@code no-cache, no-store} on a 200 as the reference. */
	static void respond(HttpServletResponse response, HttpStatus status, MediaType type, String body)
			throws IOException {
		respond(response, status, type, body.getBytes(StandardCharsets.UTF_8));
	}

	static void respond(HttpServletResponse response, HttpStatus status, MediaType type, byte[] body)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(type.toString());
		if (status == HttpStatus.OK) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store");
		}
		response.setContentLength(body.length);
		if (body.length > 0) {
			response.getOutputStream().write(body);
		}
	}

	/** The request of a transport, as the connection and hub methods see it. */
	static ConnectionRequest describe(HttpServletRequest request) {
		StringBuffer url = request.getRequestURL();
		String query = SecretRedactingServletFilter.originalQuery(request);
		if (query != null) {
			url.append('?').append(query);
		}
		URI uri;
		try {
			uri = URI.create(url.toString());
		}
		catch (IllegalArgumentException ex) {
			// a query the container let through that java.net.URI refuses: its parameters are kept below
			uri = URI.create(request.getRequestURL().toString());
		}
		HttpHeaders headers = new HttpHeaders();
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.put(name, Collections.list(request.getHeaders(name)));
		}
		return new ConnectionRequest(uri, HttpHeaders.readOnlyHttpHeaders(headers), queryParams(query),
				cookies(request), new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort()));
	}

	/**
	 * The decoded parameters of a raw query, split as WebFlux splits it; a value may hold what a strict URI
	 * parser refuses ({@code =} of base64 padding), as clients send it.
	 */
	static MultiValueMap<String, String> queryParams(@Nullable String query) {
		if (query == null || query.isEmpty()) {
			return NO_PARAMETERS;
		}
		LinkedMultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			parameters.add(name, (equals < 0) ? null : decode(pair.substring(equals + 1)));
		}
		return CollectionUtils.unmodifiableMultiValueMap(parameters);
	}

	private static String decode(String value) {
		return org.springframework.web.util.UriUtils.decode(value, StandardCharsets.UTF_8);
	}

	private static MultiValueMap<String, HttpCookie> cookies(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null || cookies.length == 0) {
			return NO_COOKIES;
		}
		LinkedMultiValueMap<String, HttpCookie> map = new LinkedMultiValueMap<>(cookies.length);
		for (Cookie cookie : cookies) {
			map.add(cookie.getName(), new HttpCookie(cookie.getName(), cookie.getValue()));
		}
		return CollectionUtils.unmodifiableMultiValueMap(map);
	}
}
