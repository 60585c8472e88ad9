package io.github.springsignalr.legacy;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client's hub invocation in the classic protocol, {@code {"H":hub,"M":method,"A":[...],"I":id,"S":{...}}},
 * with the id kept as a string whether the client sent a number or a string.
 * @param hub the hub name as sent
 * @param method the method name as sent
 * @param arguments the arguments as JSON trees, bound later to the method's parameter types
 * @param id the invocation id
 * @param state the caller state the client sent, as JSON text, or {@code null}
 */
public record LegacyInvocation(String hub, String method, List<@Nullable Object> arguments, String id,
		@Nullable String state) {

	/** The longest caller state accepted, in characters of JSON. */
	static final int MAX_STATE_LENGTH = 4096;

	static final String STATE_TOO_LONG = "State has exceeded the maximum length of " + MAX_STATE_LENGTH + " bytes.";

	/**
	 * Reads an invocation.
	 * @return {@code null} when {@code data} is not one (junk and keep-alive frames are ignored)
	 */
	public static @Nullable LegacyInvocation parse(JsonMapper mapper, String data) {
		JsonNode root;
		try {
			root = mapper.readTree(data);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (root == null || !root.isObject()) {
			return null;
		}
		JsonNode hub = root.get("H");
		JsonNode method = root.get("M");
		JsonNode id = root.get("I");
		if (hub == null || !hub.isString() || method == null || !method.isString() || id == null
				|| !(id.isString() || id.isNumber())) {
			return null;
		}
		List<@Nullable Object> arguments = new ArrayList<>();
		JsonNode args = root.get("A");
		if (args != null && args.isArray()) {
			for (JsonNode argument : args) {
				arguments.add(argument);
			}
		}
		else if (args != null && !args.isNull()) {
			return null;
		}
		JsonNode state = root.get("S");
		String stateJson = (state != null && state.isObject()) ? state.toString() : null;
		return new LegacyInvocation(hub.asString(), method.asString(), arguments,
				id.isString() ? id.asString() : id.toString(), stateJson);
	}

	/** Whether the caller state is over the limit. */
	boolean stateTooLong() {
		String state = this.state;
		return state != null && state.length() > MAX_STATE_LENGTH;
	}

	/** The error result of this invocation: {@code {"I":"<id>","E":"<message>"}}. */
	String error(JsonMapper mapper, String message) {
		return "{\"I\":" + mapper.writeValueAsString(id()) + ",\"E\":" + mapper.writeValueAsString(message) + "}";
	}
}
