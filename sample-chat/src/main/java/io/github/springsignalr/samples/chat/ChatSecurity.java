package io.github.springsignalr.samples.chat;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.security.SignalRServerHttpSecurity;

/**
 * The chat's security: open to everyone by default. With {@code signalr.hubs.ChatHub.authenticated=true}
 * the hub answers anonymous clients with 401 and the page asks for a login (a login form for browsers, HTTP basic
 * for other clients), with the user of {@code spring.security.user.*}; room announcements then name
 * people by their login.
 * <p>
 * The hub's paths, and those of the classic ASP.NET SignalR 2 endpoint that {@code legacy.html} uses, are
 * left to the hub's own authorization (so that clients get SignalR's 401 rather than a login page) and are
 * exempt from CSRF tokens, which SignalR clients cannot send: on WebFlux (the default) in one call of
 * {@link SignalRServerHttpSecurity}, on Spring MVC ({@code -Pservlet}) with the same rules written out.
 */
@Configuration(proxyBeanMethods = false)
public class ChatSecurity {

	/** On Spring WebFlux (the default). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class Reactive {

		@Bean
		SecurityWebFilterChain chatSecurityFilterChain(ServerHttpSecurity http, SignalRServerHttpSecurity signalR,
				SignalRProperties signalRProperties) {
			signalR.apply(http);
			if (!signalRProperties.hubSettings("ChatHub").isAuthenticated()) {
				return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
			}
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.formLogin(Customizer.withDefaults())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}

	/** The same on Spring MVC ({@code -Pservlet}). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class Servlet {

		/** The hub's own path, and the classic endpoint that legacy.html reaches it through. */
		static String[] hubPaths(String legacyPath) {
			return new String[] { "/chat", "/chat/**", legacyPath, legacyPath + "/**" };
		}

		@Bean
		SecurityFilterChain chatServletSecurityFilterChain(HttpSecurity http, SignalRProperties signalR,
				@Value("${signalr.legacy.path:/signalr}") String legacyPath) throws Exception {
			boolean loginRequired = signalR.hubSettings("ChatHub").isAuthenticated();
			String[] hubPaths = hubPaths(legacyPath);
			http.csrf((csrf) -> csrf.ignoringRequestMatchers(hubPaths));
			if (!loginRequired) {
				return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
			}
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers(hubPaths).permitAll()
					.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}
}
