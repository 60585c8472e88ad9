package io.github.springsignalr.legacy;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The parameters of a classic SignalR request, whatever the web stack: names matched ignoring case
 * (Katana's parser), values form-decoded ({@code +} is a space), an empty value as absent; long polling's
 * {@code messageId} and {@code groupsToken} and {@code /send}'s {@code data} may come in the form body
 * instead of the query.
 * @param query the decoded query parameters
 * @param form the decoded form fields of the body (none when it has not been read)
 */
public record LegacyParameters(MultiValueMap<String, String> query, MultiValueMap<String, String> form) {

	/** The largest {@code data} of a {@code /send}, as the reference's MaxIncomingWebSocketMessageSize. */
	public static final int MAX_DATA = 64 * 1024;

	/** The largest form body: a payload of the limit percent-encoded (three bytes for each), and room for other fields. */
	public static final int MAX_BODY = 3 * MAX_DATA + 4096;

	/** The text of a 413 for a payload over the limit. */
	public static final String TOO_LARGE = "The maximum message size of " + MAX_DATA + "B was exceeded.";

	/** The parameters of a query string as the client sent it ({@code null}: none). */
	public static LegacyParameters ofQuery(@Nullable String rawQuery) {
		return new LegacyParameters(parse(rawQuery, StandardCharsets.UTF_8), new LinkedMultiValueMap<>());
	}

	/** The parameters of a query already split into names and raw values. */
	public static LegacyParameters ofRawQuery(MultiValueMap<String, String> raw) {
		MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
		for (Map.Entry<String, List<String>> entry : raw.entrySet()) {
			for (String value : entry.getValue()) {
				decoded.add(decode(entry.getKey(), StandardCharsets.UTF_8),
						(value != null) ? decode(value, StandardCharsets.UTF_8) : "");
			}
		}
		return new LegacyParameters(decoded, new LinkedMultiValueMap<>());
	}

	/** The same parameters with the form body's fields. */
	public LegacyParameters withForm(MultiValueMap<String, String> form) {
		return new LegacyParameters(this.query, form);
	}

	/**
	 * The same parameters with a {@code /send}'s form body.
	 * @throws LegacyRequestException 413 when its {@code data} is over the classic message size
	 */
	public LegacyParameters withSendForm(MultiValueMap<String, String> form) {
		LegacyParameters read = withForm(form);
		String data = read.formOrQuery("data");
		if (data != null && data.length() > MAX_DATA / 3 && data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA) {
			throw tooLarge();
		}
		return read;
	}

	/** A 413 for a body or payload over the limit. */
	public static LegacyRequestException tooLarge() {
		return new LegacyRequestException(413, TOO_LARGE);
	}

	/** A query parameter, ignoring the case of its name; {@code null} when absent or empty. */
	public @Nullable String query(String name) {
		return find(this.query, name);
	}

	/** A query parameter, else the form field of that name. */
	public @Nullable String queryOrForm(String name) {
		String value = find(this.query, name);
		return (value != null) ? value : find(this.form, name);
	}

	/** A form field, else the query parameter of that name. */
	public @Nullable String formOrQuery(String name) {
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

	/** The fields of a form body or query string ({@code a=1&b=2}), form-decoded. */
	public static MultiValueMap<String, String> parse(@Nullable String body, Charset charset) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		if (body == null) {
			return form;
		}
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

	/** Form-decoded, or as it is when it is not well formed. */
	private static String decode(String text, Charset charset) {
		try {
			return URLDecoder.decode(text, charset);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}
}
