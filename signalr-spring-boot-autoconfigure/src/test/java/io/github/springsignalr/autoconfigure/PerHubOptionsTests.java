package io.github.springsignalr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.Hub;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every {@code signalr.hub.*} option can be set for one hub under {@code signalr.hubs.<name>.*}, and in
 * code with a {@link HubOptionsCustomizer} bean (ASP.NET Core's {@code AddHubOptions<THub>}); other hubs
 * keep the global values.
 */
class PerHubOptionsTests {

	private static final String GENERIC = "{\"type\":3,\"invocationId\":\"1\",\"error\":\"An unexpected error occurred "
			+ "invoking 'Fail' on the server.\"}\u001e";

	private static final String DETAILED = "{\"type\":3,\"invocationId\":\"1\",\"error\":\"An unexpected error occurred "
			+ "invoking 'Fail' on the server. IllegalStateException: boom\"}\u001e";

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(Hubs.class);

	@Test
	void aHubsOwnPropertyWinsAndOtherHubsKeepTheGlobalValue() {
		this.runner.withPropertyValues("signalr.hubs.StrictHub.enable-detailed-errors=true").run((context) -> {
			SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
			assertThat(invokeFail(registry, "/strict")).isEqualTo(DETAILED);
			assertThat(invokeFail(registry, "/loose")).isEqualTo(GENERIC);
		});
	}

	@Test
	void aHubsOwnValueCanBeStricterThanTheGlobalOne() {
		this.runner
			.withPropertyValues("signalr.hub.enable-detailed-errors=true",
					"signalr.hubs.StrictHub.enable-detailed-errors=false", "signalr.hubs.StrictHub.maximum-receive-message-size=64B")
			.run((context) -> {
				SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
				assertThat(invokeFail(registry, "/loose")).isEqualTo(DETAILED);
				assertThat(invokeFail(registry, "/strict")).isEqualTo(GENERIC);
				String big = "{\"type\":1,\"invocationId\":\"2\",\"target\":\"Echo\",\"arguments\":[\"" + "x".repeat(100)
						+ "\"]}\u001e";
				assertThat(exchange(registry, "/loose", big)).contains("\"result\":\"xxx");
				assertThat(exchange(registry, "/strict", big)).startsWith("{\"type\":7,\"error\":");
			});
	}

	@Test
	void customizersSetOptionsInCodeAfterTheProperties() {
		this.runner.withPropertyValues("signalr.hubs.LooseHub.enable-detailed-errors=false")
			.withBean(HubOptionsCustomizer.class,
					() -> (name, type, options) -> (type == LooseHub.class) ? options.withEnableDetailedErrors(true) : options)
			.run((context) -> {
				SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
				assertThat(invokeFail(registry, "/loose")).isEqualTo(DETAILED);
				assertThat(invokeFail(registry, "/strict")).isEqualTo(GENERIC);
			});
	}

	private static String invokeFail(SignalRRouteRegistry registry, String path) {
		return exchange(registry, path, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Fail\",\"arguments\":[]}\u001e");
	}

	/** Handshakes on {@code path}, sends {@code message} and returns the first text the hub sends back. */
	private static String exchange(SignalRRouteRegistry registry, String path, String message) {
		ConnectionHandler handler = registry.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.path().equals(path))
			.findFirst()
			.orElseThrow()
			.handler();
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(Duration.ofSeconds(5));
		handler.onReceived(connection, "{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8))
			.block(Duration.ofSeconds(5));
		assertThat(connection.awaitTexts(1, Duration.ofSeconds(5))).containsExactly("{}\u001e");
		handler.onReceived(connection, message.getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(5));
		List<String> texts = connection.awaitTexts(2, Duration.ofSeconds(5));
		return texts.get(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class Hubs {

		@Bean
		StrictHub strictHub() {
			return new StrictHub();
		}

		@Bean
		LooseHub looseHub() {
			return new LooseHub();
		}
	}

	@Hub("/strict")
	static class StrictHub {

		public void fail() {
			throw new IllegalStateException("boom");
		}

		public String echo(String text) {
			return text;
		}
	}

	@Hub("/loose")
	static class LooseHub {

		public void fail() {
			throw new IllegalStateException("boom");
		}

		public String echo(String text) {
			return text;
		}
	}
}
