package io.github.springsignalr.autoconfigure.legacy;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.legacy.ConnectionTokens;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.webflux.LegacyHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/** The legacy endpoint is off by default, and on with {@code signalr.legacy.enabled=true}. */
class SignalRLegacyAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class,
				SignalRLegacyAutoConfiguration.class));

	@Test
	void legacyEndpointIsOffByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(LegacyHandlerMapping.class)
			.doesNotHaveBean(SignalRLegacyShutdownLifecycle.class));
	}

	@Test
	void legacyEndpointWithAConfiguredSecretSignsTokensEveryNodeWithThatSecretAccepts() {
		this.runner
			.withPropertyValues("signalr.legacy.enabled=true", "signalr.legacy.token-secret=0123456789abcdef0123456789abcdef",
					"signalr.legacy.keep-alive=3s")
			.run((context) -> {
				assertThat(context).hasSingleBean(LegacyHandlerMapping.class).hasSingleBean(SignalRLegacyShutdownLifecycle.class);
				LegacyConnections connections = context.getBean(LegacyHandlerMapping.class).requestHandler().connections();
				assertThat(connections.options().keepAlive()).hasSeconds(3);
				String payload = connections.negotiate(null, new ConnectionRequest(URI.create("http://localhost/signalr"),
						new HttpHeaders(), new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null), "/signalr", "2.1",
						true);
				var negotiated = JsonMapper.builder().build().readTree(payload);
				ConnectionTokens otherNode = new ConnectionTokens(
						"0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
				assertThat(otherNode.connectionId(negotiated.get("ConnectionToken").asString(), ""))
					.isEqualTo(negotiated.get("ConnectionId").asString());
			});
	}
}
