package io.github.springsignalr.samples.racestatus;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Patch (RFC 6902) {@code replace} operations that turn one status into the next: objects and
 * equally long arrays are compared member by member, anything else is replaced whole. Only
 * {@code replace} is used, the one operation the RedMist guide's {@code applyPatches} applies; it is
 * always valid because the statuses keep every key (nulls included) and arrays change length only as a
 * whole.
 */
final class JsonPatches {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private JsonPatches() {
	}

	/** The operations from {@code before} to {@code after}, appended to {@code operations}. */
	static void diff(JsonNode before, JsonNode after, String path, ArrayNode operations) {
		if (before.equals(after)) {
			return;
		}
		if (before.isObject() && after.isObject() && before.size() == after.size()) {
			boolean sameKeys = true;
			for (Map.Entry<String, JsonNode> member : after.properties()) {
				if (!before.has(member.getKey())) {
					sameKeys = false;
					break;
				}
			}
			if (sameKeys) {
				for (Map.Entry<String, JsonNode> member : after.properties()) {
					diff(before.get(member.getKey()), member.getValue(), path + "/" + escape(member.getKey()),
							operations);
				}
				return;
			}
		}
		if (before.isArray() && after.isArray() && before.size() == after.size()) {
			for (int i = 0; i < after.size(); i++) {
				diff(before.get(i), after.get(i), path + "/" + i, operations);
			}
			return;
		}
		ObjectNode replace = NODES.objectNode();
		replace.put("op", "replace");
		replace.put("path", path);
		replace.set("value", after);
		operations.add(replace);
	}

	/** The members of {@code after} that differ from {@code before}; the others are {@code null}. */
	static ObjectNode changedMembers(JsonNode before, JsonNode after) {
		ObjectNode patch = NODES.objectNode();
		for (Map.Entry<String, JsonNode> member : after.properties()) {
			JsonNode old = before.get(member.getKey());
			if (old == null || !old.equals(member.getValue())) {
				patch.set(member.getKey(), member.getValue());
			}
			else {
				patch.putNull(member.getKey());
			}
		}
		return patch;
	}

	/** Whether a patch made by {@link #changedMembers} changes anything but the given keys. */
	static boolean changesMoreThan(ObjectNode patch, String... keys) {
		int set = 0;
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			if (!member.getValue().isNull()) {
				set++;
			}
		}
		int kept = 0;
		for (String key : keys) {
			JsonNode value = patch.get(key);
			if (value != null && !value.isNull()) {
				kept++;
			}
		}
		return set > kept;
	}

	private static String escape(String key) {
		return key.replace("~", "~0").replace("/", "~1");
	}
}
