package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.legacy.Jsonp;
import io.github.springsignalr.legacy.LegacyParameters;

/**
 * A classic SignalR request on a servlet container: the request and its response, its
 * {@link LegacyParameters} (the query as the client sent it, and the form body once read), and the
 * answers every classic request gives (JSON or its JSONP script, a plain-text refusal).
 */
final class LegacyServletRequest {

	private static final Log logger = LogFactory.getLog(LegacyServletRequest.class);

	static final MediaType JSON = new MediaType("application", "json", StandardCharsets.UTF_8);

	static final MediaType JAVASCRIPT = new MediaType("application", "javascript", StandardCharsets.UTF_8);

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private LegacyParameters parameters;

	LegacyServletRequest(HttpServletRequest request, HttpServletResponse response) {
		this.request = request;
		this.response = response;
		this.parameters = LegacyParameters.ofQuery(SecretRedactingServletFilter.originalQuery(request));
	}

	HttpServletRequest request() {
		return this.request;
	}

	HttpServletResponse response() {
		return this.response;
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

	/** The authenticated user of the request (Spring Security's anonymous one is nobody). */
	@Nullable Principal user() {
		return TransportRequests.authenticatedUser(this.request);
	}

	/** Whether the request asks for a WebSocket upgrade. */
	boolean isUpgrade() {
		return "websocket".equalsIgnoreCase(this.request.getHeader(HttpHeaders.UPGRADE));
	}

	/**
	 * Reads the form body ({@code application/x-www-form-urlencoded}), bounded; with {@code send} its
	 * {@code data} is bounded as a classic WebSocket message is.
	 * @throws io.github.springsignalr.legacy.LegacyRequestException 413 over the limits
	 */
	void readForm(boolean send) throws IOException {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		MediaType type = contentType();
		if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
			if (this.request.getContentLengthLong() > LegacyParameters.MAX_BODY) {
				throw LegacyParameters.tooLarge();
			}
			Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
			byte[] body;
			try (InputStream in = this.request.getInputStream()) {
				body = in.readNBytes(LegacyParameters.MAX_BODY + 1);
			}
			if (body.length > LegacyParameters.MAX_BODY) {
				throw LegacyParameters.tooLarge();
			}
			if (body.length > 0) {
				form = LegacyParameters.parse(new String(body, charset), charset);
			}
			else {
				// a filter read the parameters first (the container consumed the body): its fields are there
				for (Map.Entry<String, String[]> entry : this.request.getParameterMap().entrySet()) {
					for (String value : entry.getValue()) {
						form.add(entry.getKey(), value);
					}
				}
			}
		}
		this.parameters = send ? this.parameters.withSendForm(form) : this.parameters.withForm(form);
	}

	private @Nullable MediaType contentType() {
		String type = this.request.getContentType();
		try {
			return (type != null) ? MediaType.parseMediaType(type) : null;
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	/** The request as connections keep it, with the classic parameters (form-decoded). */
	ConnectionRequest connectionRequest() {
		ConnectionRequest described = TransportRequests.describe(this.request);
		return new ConnectionRequest(described.uri(), described.headers(), this.parameters.query(),
				described.cookies(), described.remoteAddress());
	}

	/**
	 * The request's path without its last segment ({@code /negotiate}, {@code /hubs}): the endpoint's URL
	 * as clients are told it, context path included.
	 */
	String url() {
		String path = this.request.getRequestURI();
		int slash = path.lastIndexOf('/');
		return path.substring(0, Math.max(slash, 0));
	}

	/**
	 * Answers a JSON body, or with JSONP ({@code callback}) the script {@code callback(<json>);} (an empty
	 * body stays empty); {@code no-cache, no-store}.
	 */
	void json(String body) throws IOException {
		String callback = query("callback");
		if (callback == null) {
			TransportRequests.respond(this.response, HttpStatus.OK, JSON, body);
			return;
		}
		TransportRequests.respond(this.response, HttpStatus.OK, JAVASCRIPT,
				body.isEmpty() ? body : Jsonp.wrap(callback, body));
	}

	/** Answers with a plain-text body (a refusal's text, or none). */
	void text(int status, String body) throws IOException {
		if (this.response.isCommitted()) {
			logger.debug("Cannot answer " + status + " on a committed response: " + body);
			return;
		}
		TransportRequests.respond(this.response, HttpStatus.valueOf(status), TEXT, body);
	}
}
