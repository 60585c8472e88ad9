package io.github.springsignalr.test;

import java.net.URI;

import io.github.springsignalr.protocol.JsonHubProtocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link HubTester} of {@link AutoConfigureHubTester}: bound to {@code local.server.port} (read at
 * each connect, since the port is known only once the server started) and the server's base path, with
 * the application's {@link JsonHubProtocol}.
 */
@AutoConfiguration(afterName = "io.github.springsignalr.autoconfigure.SignalRAutoConfiguration")
public class HubTesterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HubTester hubTester(Environment environment, ObjectProvider<JsonHubProtocol> protocol) {
		JsonHubProtocol json = protocol.getIfAvailable(() -> new JsonHubProtocol(JsonMapper.builder().build()));
		return HubTester.create(() -> baseUri(environment), json);
	}

	private static URI baseUri(Environment environment) {
		String port = environment.getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException("HubTester needs a running server: use @SpringBootTest(webEnvironment = "
					+ "RANDOM_PORT) or DEFINED_PORT (local.server.port is not set)");
		}
		String basePath = environment.getProperty("spring.webflux.base-path",
				environment.getProperty("server.servlet.context-path", ""));
		return URI.create("http://localhost:" + port + basePath);
	}
}
