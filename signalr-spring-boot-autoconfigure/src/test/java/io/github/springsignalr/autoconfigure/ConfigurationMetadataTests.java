package io.github.springsignalr.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated from {@link SignalRProperties}, which IDEs show as completion
 * and documentation: every {@code signalr.*} property is there and described.
 */
class ConfigurationMetadataTests {

	private static final List<String> DOCUMENTED_PROPERTIES = List.of("signalr.transports",
			"signalr.disconnect-timeout", "signalr.outbound-buffer-size", "signalr.hub.keep-alive-interval",
			"signalr.hub.client-timeout-interval", "signalr.hub.handshake-timeout",
			"signalr.hub.maximum-receive-message-size", "signalr.hub.maximum-parallel-invocations-per-client",
			"signalr.hub.enable-detailed-errors", "signalr.hub.stream-buffer-capacity",
			"signalr.websocket.max-frame-size", "signalr.ops-view.enabled", "signalr.ops-view.path",
			"signalr.maximum-connections", "signalr.http.keep-alive-timeout", "signalr.http.request-headers-timeout",
			"signalr.http.min-request-body-data-rate", "signalr.http.min-request-body-data-rate-grace-period",
			"signalr.authentication-refresh.enabled");

	private static Map<String, JsonNode> signalRProperties() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		List<JsonNode> properties = new ArrayList<>();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					if (property.path("name").asString().startsWith("signalr.")) {
						properties.add(property);
					}
				}
			}
		}
		return properties.stream()
			.collect(Collectors.toMap((property) -> property.path("name").asString(), Function.identity()));
	}

	@Test
	void listsEveryDocumentedProperty() throws IOException {
		assertThat(signalRProperties()).containsKeys(DOCUMENTED_PROPERTIES.toArray(String[]::new));
	}

	@Test
	void describesEverySignalRProperty() throws IOException {
		Map<String, JsonNode> properties = signalRProperties();
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> assertThat(property.path("description").asString())
			.as("description of %s", name)
			.isNotBlank()
			.endsWith("."));
	}

	@Test
	void recordsTheReferenceDefaults() throws IOException {
		Map<String, JsonNode> properties = signalRProperties();
		assertThat(properties.get("signalr.hub.maximum-parallel-invocations-per-client").path("defaultValue").asInt())
			.isEqualTo(1);
		assertThat(properties.get("signalr.hub.stream-buffer-capacity").path("defaultValue").asInt()).isEqualTo(10);
		assertThat(properties.get("signalr.hub.enable-detailed-errors").path("defaultValue").asBoolean()).isFalse();
		assertThat(properties.get("signalr.hub.keep-alive-interval").path("defaultValue").asString()).isEqualTo("15s");
		assertThat(properties.get("signalr.hub.maximum-receive-message-size").path("defaultValue").asString())
			.isEqualTo("32KB");
		assertThat(properties.get("signalr.outbound-buffer-size").path("defaultValue").asString()).isEqualTo("1MB");
	}

	/** Kestrel's KeepAliveTimeout, RequestHeadersTimeout and MinRequestBodyDataRate; no connection limit. */
	@Test
	void recordsKestrelsHttpLimits() throws IOException {
		Map<String, JsonNode> properties = signalRProperties();
		assertThat(properties.get("signalr.http.keep-alive-timeout").path("defaultValue").asString()).isEqualTo("130s");
		assertThat(properties.get("signalr.http.request-headers-timeout").path("defaultValue").asString())
			.isEqualTo("30s");
		assertThat(properties.get("signalr.http.min-request-body-data-rate").path("defaultValue").asLong())
			.isEqualTo(240);
		assertThat(properties.get("signalr.http.min-request-body-data-rate-grace-period").path("defaultValue")
			.asString()).isEqualTo("5s");
		assertThat(properties.get("signalr.maximum-connections").has("defaultValue")).isFalse();
	}

}
