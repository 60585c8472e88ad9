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
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @Hub(filters = ...)} applies a filter to that hub only, after the global ones. */
class PerHubFilterTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(Hubs.class);

	@Test
	void hubFilterWrapsOnlyItsHubAndRunsAfterGlobalFilters() {
		this.runner.run((context) -> {
			SignalRRouteRegistry registry = context.getBean(SignalRRouteRegistry.class);
			assertThat(echo(registry, "/filtered")).isEqualTo("global[hub[[x]]]");
			assertThat(echo(registry, "/plain")).isEqualTo("global[[x]]");
		});
	}

	private static String echo(SignalRRouteRegistry registry, String path) {
		ConnectionHandler handler = registry.endpoints()
			.stream()
			.filter((endpoint) -> endpoint.path().equals(path))
			.findFirst()
			.orElseThrow()
			.handler();
		RecordingConnection connection = new RecordingConnection("c1");
		handler.onConnected(connection).block(Duration.ofSeconds(5));
		handler.onReceived(connection, ("{\"protocol\":\"json\",\"version\":1}\u001e"
				+ "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"x\"]}\u001e")
			.getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(5));
		String completion = connection.awaitTexts(2, Duration.ofSeconds(5)).get(1);
		return completion.substring(completion.indexOf("\"result\":\"") + 10, completion.lastIndexOf('"'));
	}

	/** Wraps results in a label, to show which filters ran and in which order. */
	static class Wrapping implements HubFilter {

		private final String label;

		Wrapping(String label) {
			this.label = label;
		}

		@Override
		public Mono<Object> invoke(HubInvocationContext invocation, InvocationChain chain) {
			return chain.next(invocation).map((result) -> this.label + "[" + result + "]");
		}
	}

	/** The filter one hub names; created by the framework since no bean of it exists. */
	static class HubOnlyFilter extends Wrapping {

		HubOnlyFilter() {
			super("hub");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Hubs {

		@Bean
		HubFilter globalFilter() {
			return new Wrapping("global");
		}

		@Bean
		FilteredHub filteredHub() {
			return new FilteredHub();
		}

		@Bean
		PlainHub plainHub() {
			return new PlainHub();
		}
	}

	@Hub(value = "/filtered", filters = HubOnlyFilter.class)
	static class FilteredHub {

		public String echo(String message) {
			return "[" + message + "]";
		}
	}

	@Hub("/plain")
	static class PlainHub {

		public String echo(String message) {
			return "[" + message + "]";
		}
	}
}
