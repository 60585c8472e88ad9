package io.github.springsignalr.interop.javaclient;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.UserIdProvider;

/**
 * Makes the {@value #USER_HEADER} request header the user identifier, so that Java clients can act as
 * users without authentication ({@code HubConnectionBuilder.withHeader} sets it on negotiate and on the
 * WebSocket upgrade).
 */
@TestConfiguration(proxyBeanMethods = false)
public class JavaUserIdConfiguration {

	/** The request header naming the user. */
	public static final String USER_HEADER = "X-Java-User";

	@Bean
	UserIdProvider javaHeaderUserIdProvider() {
		return (connection) -> connection.request().headers().getFirst(USER_HEADER);
	}
}
