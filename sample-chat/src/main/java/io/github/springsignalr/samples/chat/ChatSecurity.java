package io.github.springsignalr.samples.chat;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.security.SignalRServerHttpSecurity;

/**
 * The chat's security: open to everyone by default. With {@code signalr.hubs.ChatHub.authenticated=true}
 * the hub refuses anonymous clients (401) and the page asks for a login (a form for browsers, HTTP basic
 * for other clients), with the user of {@code spring.security.user.*}; room announcements then name
 * people by their login.
 * <p>
 * {@link SignalRServerHttpSecurity} leaves the hub's paths, and those of the classic ASP.NET SignalR 2
 * endpoint that {@code legacy.html} uses, to the hub's own authorization (so that clients get SignalR's
 * 401 rather than a login page) and exempts them from CSRF tokens, which SignalR clients cannot send.
 */
@Configuration(proxyBeanMethods = false)
public class ChatSecurity {

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
