package io.github.springsignalr.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code signalr.authentication-refresh.enabled} and its per-hub override
 * {@code signalr.hubs.<name>.authentication-refresh.enabled}: off unless set, a hub's own setting wins
 * either way, hub names ignore case as elsewhere.
 */
class AuthenticationRefreshPropertiesTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void isOffUnlessSet() {
		this.runner.run((context) -> {
			SignalRProperties properties = context.getBean(SignalRProperties.class);
			assertThat(properties.getAuthenticationRefresh().getEnabled()).isNull();
			assertThat(properties.authenticationRefresh("Chat")).isFalse();
		});
	}

	@Test
	void isOnForOneHub() {
		this.runner.withPropertyValues("signalr.hubs.Chat.authentication-refresh.enabled=true").run((context) -> {
			SignalRProperties properties = context.getBean(SignalRProperties.class);
			assertThat(properties.authenticationRefresh("chat")).isTrue();
			assertThat(properties.authenticationRefresh("Other")).isFalse();
		});
	}

	@Test
	void isOnEverywhereButWhereAHubTurnsItOff() {
		this.runner
			.withPropertyValues("signalr.authentication-refresh.enabled=true",
					"signalr.hubs.Chat.authentication-refresh.enabled=false")
			.run((context) -> {
				SignalRProperties properties = context.getBean(SignalRProperties.class);
				assertThat(properties.authenticationRefresh("Chat")).isFalse();
				assertThat(properties.authenticationRefresh("Other")).isTrue();
			});
	}
}
