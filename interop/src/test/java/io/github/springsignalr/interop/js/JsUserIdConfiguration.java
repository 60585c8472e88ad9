package io.github.springsignalr.interop.js;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.UserIdProvider;

/**
 * The interop server has no security, so there is no principal: this user identifier comes from the
 * {@code user} query parameter of the connection's request instead.
 */
@TestConfiguration(proxyBeanMethods = false)
public class JsUserIdConfiguration {

	@Bean
	UserIdProvider queryParameterUserIdProvider() {
		return (connection) -> connection.request().queryParams().getFirst("user");
	}
}
