package io.github.springsignalr.legacy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.CallerState;

/**
 * The caller state of one classic invocation ({@code S}): read from the client's JSON when first used,
 * keys ignoring case; the keys whose value the method changed go back with the result.
 */
final class LegacyCallerState implements CallerState {

	private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {
	};

	private final JsonMapper mapper;

	private final @Nullable String json;

	private @Nullable Map<String, @Nullable Object> values;

	private final Map<String, @Nullable Object> changed = new LinkedHashMap<>();

	LegacyCallerState(JsonMapper mapper, @Nullable String json) {
		this.mapper = mapper;
		this.json = json;
	}

	private Map<String, @Nullable Object> values() {
		Map<String, @Nullable Object> values = this.values;
		if (values == null) {
			values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			if (this.json != null) {
				values.putAll(this.mapper.readValue(this.json, MAP));
			}
			this.values = values;
		}
		return values;
	}

	@Override
	public synchronized @Nullable Object get(String key) {
		return values().get(key);
	}

	@Override
	public synchronized void put(String key, @Nullable Object value) {
		Map<String, @Nullable Object> values = values();
		if (!values.containsKey(key) || !Objects.equals(values.get(key), value)) {
			this.changed.put(key, value);
		}
		values.put(key, value);
	}

	@Override
	public synchronized Map<String, @Nullable Object> asMap() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(values()));
	}

	/** The changed keys as a JSON object, or {@code null} when none changed. */
	synchronized @Nullable String changes() {
		return this.changed.isEmpty() ? null : this.mapper.writeValueAsString(this.changed);
	}
}
