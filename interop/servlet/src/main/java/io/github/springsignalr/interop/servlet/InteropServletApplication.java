package io.github.springsignalr.interop.servlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.protocol.JsonHubProtocol;

/**
 * The conformance server on the servlet stack: the same hubs and routes as {@code InteropApplication},
 * started the same way ({@code ./mvnw -pl interop/servlet spring-boot:run}). Its WebFlux-only parts (the
 * routes {@code WebFilter}, the reactive security chain) have servlet twins here; the classic ASP.NET
 * SignalR 2 endpoint is WebFlux-only for now and left out. Of the test suites' own hubs, those of the
 * JavaScript suites ({@code interop.js.Js*}) join it when they are on the class path, as they join the
 * WebFlux server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = "io.github.springsignalr.interop", excludeFilters = @ComponentScan.Filter(
		type = FilterType.REGEX, pattern = "io\\.github\\.springsignalr\\.interop\\.(InteropApplication|InteropRoutesFilter"
				+ "|InteropSecurity.*|legacy\\..*|(?!servlet\\.|js\\.Js)[a-z]+\\..*)"))
public class InteropServletApplication {

	public static void main(String[] args) {
		SpringApplication.run(InteropServletApplication.class, args);
	}

	/** The reference's test server keeps .NET property names, so objects travel in PascalCase. */
	@Bean
	JsonHubProtocol jsonHubProtocol(JsonMapper jsonMapper) {
		return new JsonHubProtocol(
				jsonMapper.rebuild().propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE).build());
	}
}
