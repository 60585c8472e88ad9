package io.github.springsignalr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.autoconfigure.redis.SignalRRedisAutoConfiguration;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * The mistakes of a first day, each refused at startup with a message that says what to change (or,
 * for a path without its leading slash, corrected): a hub path that cannot be a path, a hub method
 * parameter that nothing supplies, a backplane asked for but impossible, and the backplane's deprecated
 * second switch.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupMistakesTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRRedisAutoConfiguration.class, SignalRAutoConfiguration.class,
				JacksonAutoConfiguration.class));

	private static String failure(AssertableReactiveWebApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

	@Test
	void hubPathWithoutLeadingSlashIsServedWithOne() {
		this.runner.withUserConfiguration(RelativePathHub.class).run((context) -> {
			assertThat(context).hasNotFailed();
			SignalRRouteRegistry routes = context.getBean(SignalRRouteRegistry.class);
			assertThat(routes.matches("/news/negotiate")).isTrue();
			assertThat(routes.matches("/news")).isTrue();
		});
	}

	@Test
	void hubPathThatCannotBeAPathRefusesToStart() {
		this.runner.withUserConfiguration(QueryPathHub.class)
			.run((context) -> assertThat(failure(context)).isEqualTo("@Hub of " + QueryPathHub.class.getName()
					+ " gives the path '/news?live=true', which cannot be a path: '?' is not allowed (no query, "
					+ "fragment, pattern, space or encoded character); give the plain path clients connect to, such "
					+ "as \"/chat\"."));
	}

	@Test
	void emptyHubPathRefusesToStart() {
		this.runner.withUserConfiguration(NoPathHub.class)
			.run((context) -> assertThat(failure(context)).isEqualTo("@Hub of " + NoPathHub.class.getName()
					+ " gives no path: give the one clients connect to, such as \"/chat\"."));
	}

	@Test
	void hubMethodParameterThatNothingSuppliesRefusesToStart() {
		this.runner.withUserConfiguration(ExchangeHub.class)
			.run((context) -> assertThat(failure(context))
				.startsWith("Hub " + ExchangeHub.class.getName() + ": parameter 'exchange' (ServerWebExchange) of hub "
						+ "method 'send' is neither sent by clients nor supplied by SignalR. SignalR supplies "
						+ "HubCallerContext")
				.endsWith("Remove the parameter, take one of those, or declare a HubMethodArgumentResolver bean that "
						+ "supplies it."));
	}

	@Test
	void hubMethodParameterWithAnAnnotationNothingSuppliesRefusesToStart() {
		this.runner.withUserConfiguration(RequestParamHub.class)
			.run((context) -> assertThat(failure(context)).startsWith("Hub " + RequestParamHub.class.getName()
					+ ": parameter 'room' (String) of hub method 'join' is annotated with @RequestParam, which nothing "
					+ "supplies to hub methods."));
	}

	@Test
	void redisBackplaneWithoutLettuceRefusesToStart() {
		this.runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.withPropertyValues("signalr.backplane=redis")
			.run((context) -> assertThat(failure(context)).isEqualTo("The Redis backplane was asked for "
					+ "(signalr.backplane=redis) but Lettuce is not on the classpath: add the dependency "
					+ "io.lettuce:lettuce-core, or remove signalr.backplane to run one node."));
	}

	@Test
	void redisBackplaneWithoutRedisAddressRefusesToStart() {
		this.runner.withPropertyValues("signalr.backplane=redis")
			.run((context) -> assertThat(failure(context)).isEqualTo("signalr.backplane=redis needs the address of "
					+ "Redis: set signalr.redis.url (such as redis://localhost:6379), or add "
					+ "spring-boot-starter-data-redis and its spring.data.redis.* settings."));
	}

	@Test
	void deprecatedBackplaneSwitchWarnsNamingTheDocumentedOne(CapturedOutput output) {
		this.runner.withPropertyValues("signalr.redis.enabled=true", "signalr.redis.url=redis://127.0.0.1:1")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).containsPattern("WARN .*signalr.redis.enabled is deprecated: set "
				+ "signalr.backplane=redis instead, the one switch of the backplane.");
	}

	@Test
	void documentedBackplaneSwitchDoesNotWarn(CapturedOutput output) {
		this.runner.withPropertyValues("signalr.backplane=redis", "signalr.redis.url=redis://127.0.0.1:1")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).doesNotContain("is deprecated");
	}

	@Test
	void metadataShowsTheDeprecatedSwitchWithItsReplacement() throws IOException {
		JsonNode property = null;
		for (URL url : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode candidate : JsonMapper.builder().build().readTree(in).path("properties")) {
					if (candidate.path("name").asString().equals("signalr.redis.enabled")) {
						property = candidate;
					}
				}
			}
		}
		assertThat(property).isNotNull();
		assertThat(property.path("deprecated").asBoolean()).isTrue();
		assertThat(property.path("deprecation").path("replacement").asString()).isEqualTo("signalr.backplane");
	}

	@Hub("news")
	static class RelativePathHub {

		public void subscribe() {
		}

	}

	@Hub("/news?live=true")
	static class QueryPathHub {

		public void subscribe() {
		}

	}

	@Hub
	static class NoPathHub {

		public void subscribe() {
		}

	}

	@Hub("/exchange")
	static class ExchangeHub {

		public void send(HubCallerContext caller, String text, ServerWebExchange exchange) {
		}

	}

	@Hub("/rooms")
	static class RequestParamHub {

		public void join(@RequestParam String room) {
		}

	}

}
