package io.github.springsignalr.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.Hub;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.connection.SignalRRouteRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code signalr.hub.supported-protocols} and {@code signalr.hubs.<name>.supported-protocols} limit
 * what clients may speak.
 */
class SupportedProtocolsTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(Hubs.class);

	@Test
	void bothProtocolsAreOfferedByDefault() {
		this.runner.run((context) -> {
			assertThat(handshake(context.getBean(SignalRRouteRegistry.class), "/json-only", "messagepack"))
				.isEqualTo("{}\u001e");
		});
	}

	@Test
	void globalSettingRefusesOtherProtocolsWithTheReferenceText() {
		this.runner.withPropertyValues("signalr.hub.supported-protocols=json").run((context) -> {
			SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
			assertThat(handshake(registry, "/json-only", "messagepack"))
				.isEqualTo("{\"error\":\"The protocol 'messagepack' is not supported.\"}\u001e");
			assertThat(handshake(registry, "/json-only", "json")).isEqualTo("{}\u001e");
		});
	}

	@Test
	void perHubSettingWinsOverTheGlobalOne() {
		this.runner
			.withPropertyValues("signalr.hub.supported-protocols=json",
					"signalr.hubs.PackedHub.supported-protocols=messagepack")
			.run((context) -> {
				SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
				assertThat(handshake(registry, "/packed", "messagepack")).isEqualTo("{}\u001e");
				assertThat(handshake(registry, "/packed", "json"))
					.isEqualTo("{\"error\":\"The protocol 'json' is not supported.\"}\u001e");
			});
	}

	private static String handshake(SignalRRouteRegistry registry, String path, String protocol) {
		ConnectionHandler handler = registry.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.path().equals(path))
			.findFirst()
			.orElseThrow()
			.handler();
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(Duration.ofSeconds(5));
		handler.onReceived(connection, ("{\"protocol\":\"" + protocol + "\",\"version\":1}\u001e")
			.getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(5));
		return connection.awaitTexts(1, Duration.ofSeconds(5)).get(0);
	}

	@Configuration(proxyBeanMethods = false)
	static class Hubs {

		@Bean
		JsonOnlyHub jsonOnlyHub() {
			return new JsonOnlyHub();
		}

		@Bean
		PackedHub packedHub() {
			return new PackedHub();
		}
	}

	@Hub("/json-only")
	static class JsonOnlyHub {

		public String echo(String message) {
			return message;
		}
	}

	@Hub("/packed")
	static class PackedHub {

		public String echo(String message) {
			return message;
		}
	}
}
