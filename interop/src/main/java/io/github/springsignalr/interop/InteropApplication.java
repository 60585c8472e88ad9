package io.github.springsignalr.interop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import io.github.springsignalr.protocol.JsonHubProtocol;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance server: the routes and hubs of the official JavaScript client's functional test
 * server, for the real clients to run against. It runs on the web stack of its class path: WebFlux here,
 * Spring MVC on Tomcat in {@code interop/servlet} (the same class, started the same way:
 * {@code mvn -q -pl interop/servlet -am spring-boot:run -Dspring-boot.run.skip=true}); the few parts
 * that differ have a twin per stack ({@link InteropRoutesFilter} and {@link InteropServletRoutesFilter}, the
 * two resource servers of {@link InteropSecurity}).
 */
@SpringBootApplication
public class InteropApplication {

	public static void main(String[] args) {
		SpringApplication.run(InteropApplication.class, args);
	}

	/** The reference's test server keeps .NET property names, so objects travel in PascalCase. */
	@Bean
	JsonHubProtocol jsonHubProtocol(JsonMapper jsonMapper) {
		return new JsonHubProtocol(
				jsonMapper.rebuild().propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE).build());
	}
}
