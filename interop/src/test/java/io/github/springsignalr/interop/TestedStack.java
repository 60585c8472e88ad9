package io.github.springsignalr.interop;

import java.util.Locale;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.webmvc.RequestForwardingServletFilter;

/**
 * The web stack of the nodes a test starts itself: the stack this run tests. interop's own run tests
 * WebFlux (Reactor Netty); {@code interop/servlet}'s sets the system property {@value #PROPERTY} to
 * {@code SERVLET}, so that the same suites run on Spring MVC and Tomcat. The type is always explicit,
 * as {@code interop/servlet}'s test class path holds both stacks.
 */
public final class TestedStack {

	/** The system property naming the {@link WebApplicationType} of the stack under test ({@code REACTIVE}). */
	public static final String PROPERTY = "interop.web-application-type";

	private TestedStack() {
	}

	/** The type of application this run tests. */
	public static WebApplicationType webApplicationType() {
		return WebApplicationType.valueOf(System.getProperty(PROPERTY, "REACTIVE").trim().toUpperCase(Locale.ROOT));
	}

	/** An application of {@code sources} on the stack this run tests. */
	public static SpringApplicationBuilder application(Class<?>... sources) {
		return new SpringApplicationBuilder(sources).web(webApplicationType());
	}

	/** The requests {@code node} forwarded to the owners of their connections, on either stack. */
	public static long forwardedCount(ApplicationContext node) {
		if (node instanceof ReactiveWebApplicationContext) {
			return node.getBean(RequestForwardingWebFilter.class).forwardedCount();
		}
		return node.getBean(RequestForwardingServletFilter.class).forwardedCount();
	}

	/**
	 * Spring Security letting every request through, on either stack, for the applications of tests that
	 * have no login (interop's class path has Spring Security): {@code @Import} it.
	 */
	public static final class OpenSecurity {

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		SecurityWebFilterChain openSecurityWebFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		SecurityFilterChain openSecurityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

	}

}
