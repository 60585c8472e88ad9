package io.github.springsignalr.legacy;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * JSONP on the classic endpoint: off by default (403), and when on, only for a {@code callback} that is
 * a path of JavaScript identifiers, whose answers become the script {@code callback(<json>);}.
 */
public final class Jsonp {

	/** The text of a JSONP request while JSONP is off. */
	public static final String DISABLED = "Forbidden: JSONP is disabled.";

	/** The words JavaScript reserves, which cannot name a callback. */
	private static final Set<String> RESERVED = Set.of("break", "case", "catch", "class", "const", "continue",
			"debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
			"function", "if", "implements", "import", "in", "instanceof", "interface", "let", "new", "null",
			"package", "private", "protected", "public", "return", "static", "super", "switch", "this", "throw",
			"true", "try", "typeof", "var", "void", "while", "with", "yield");

	private Jsonp() {
	}

	/**
	 * Refuses a request with a {@code callback} while JSONP is off (403), or with a callback that is no
	 * JavaScript identifier path (400: the reference throws, a 500 no client tells from a 400).
	 */
	public static void check(@Nullable String callback, boolean enabled) {
		if (callback != null && !enabled) {
			throw new LegacyRequestException(403, DISABLED);
		}
		if (callback != null && !isJavaScriptCallback(callback)) {
			throw LegacyRequestException.badRequest("Invalid JSONP callback.");
		}
	}

	/** A JSONP script: {@code callback(<json>);}. */
	public static String wrap(String callback, String json) {
		return callback + "(" + json + ");";
	}

	/**
	 * Whether a JSONP callback is a dot-separated path of JavaScript identifiers (ASCII letters, digits,
	 * {@code $} and {@code _}, not starting with a digit), none of them a reserved word, as the reference checks.
	 */
	public static boolean isJavaScriptCallback(String callback) {
		for (String identifier : callback.split("\\.", -1)) {
			if (identifier.isEmpty() || RESERVED.contains(identifier) || Character.isDigit(identifier.charAt(0))
					|| !identifier.chars().allMatch((c) -> c == '$' || c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
				return false;
			}
		}
		return true;
	}
}
