package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;

/**
 * The bytes the classic transports put around JSON on the wire, whatever the web stack: the
 * keep-alive, the event stream's {@code data:} events, the forever frame's prologue and scripts, and the
 * fixed answers of {@code /ping} and {@code /start}.
 */
public final class LegacyFraming {

	/** The keep-alive of event streams, forever frames and WebSockets. */
	public static final byte[] KEEP_ALIVE = utf8("{}");

	/** The long poll's keep-alive while it waits. */
	public static final byte[] SPACE = utf8(" ");

	/** The answer of {@code /ping}. */
	public static final String PONG = "{ \"Response\": \"pong\" }";

	/** The answer of {@code /start}. */
	public static final String STARTED = "{ \"Response\": \"started\" }";

	private static final byte[] DATA = utf8("data: ");

	/** The first event of an event stream (after {@code DATA}, which it is made of). */
	public static final byte[] INITIALIZED = event(utf8("initialized"));

	private static final String FRAME_PREFIX = "<!DOCTYPE html><html><head>"
			+ "<title>SignalR Forever Frame Transport Stream</title>\r\n<script>\r\n"
			+ "    var $ = window.parent.jQuery,\r\n        ff = $ ? $.signalR.transports.foreverFrame : null,\r\n"
			+ "        c =  ff ? ff.getConnection('";

	private static final String FRAME_SUFFIX = "') : null,\r\n        r = ff ? ff.receive : function() {};\r\n"
			+ "    ff ? ff.started(c) : '';</script></head><body>\r\n";

	private LegacyFraming() {
	}

	/** An event of the event stream: {@code data: <json>} and a blank line. */
	public static byte[] event(byte[] json) {
		byte[] event = new byte[DATA.length + json.length + 2];
		System.arraycopy(DATA, 0, event, 0, DATA.length);
		System.arraycopy(json, 0, event, DATA.length, json.length);
		event[event.length - 2] = '\n';
		event[event.length - 1] = '\n';
		return event;
	}

	/** The start of a forever frame: the HTML page whose script finds the client's frame {@code frameId}. */
	public static byte[] foreverFramePrologue(long frameId) {
		return utf8(FRAME_PREFIX + frameId + FRAME_SUFFIX);
	}

	/** One message of a forever frame: {@code <script>r(c, <json>);</script>}, the JSON made script-safe. */
	public static byte[] foreverFrameScript(byte[] json) {
		return utf8("<script>r(c, " + scriptSafe(new String(json, StandardCharsets.UTF_8)) + ");</script>\r\n");
	}

	/**
	 * JSON as it may stand inside an HTML script element: {@code <} and {@code >} (which can only occur in
	 * strings) and the line separators U+2028 and U+2029 written as escapes.
	 */
	public static String scriptSafe(String json) {
		StringBuilder safe = null;
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			String escape = switch (c) {
				case '<' -> "\\u003c";
				case '>' -> "\\u003e";
				case '\u2028' -> "\\u2028";
				case '\u2029' -> "\\u2029";
				default -> null;
			};
			if (escape != null && safe == null) {
				safe = new StringBuilder(json.length() + 16).append(json, 0, i);
			}
			if (safe != null) {
				if (escape != null) {
					safe.append(escape);
				}
				else {
					safe.append(c);
				}
			}
		}
		return (safe != null) ? safe.toString() : json;
	}

	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}
