package io.github.springsignalr.autoconfigure;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.DispatcherServlet;
import reactor.core.scheduler.Scheduler;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.security.AccessTokenQueryParameterServletFilter;
import io.github.springsignalr.security.SecurityRouteAuthorizer;
import io.github.springsignalr.security.ServletSecurityRouteAuthorizer;
import io.github.springsignalr.security.SignalRHttpSecurity;
import io.github.springsignalr.security.TokenExpiration;
import io.github.springsignalr.webmvc.RouteAuthorizer;
import io.github.springsignalr.webmvc.SecretRedactingServletFilter;
import io.github.springsignalr.webmvc.SignalRHandlerMapping;
import io.github.springsignalr.webmvc.SignalRRequestHandler;
import io.github.springsignalr.webmvc.TomcatHttpLimits;
import io.github.springsignalr.webmvc.TomcatResponseAbortValve;
import io.github.springsignalr.webmvc.WebSocketTransport;

/**
 * The Spring MVC adapter of {@link SignalRAutoConfiguration}: the hubs' paths in a servlet application
 * (Tomcat, Jetty), with WebSockets on the container's Jakarta WebSocket implementation. A servlet
 * application without Spring MVC fails at startup, saying what to add.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SignalRWebMvcConfiguration {

	/** The adapter itself. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ DispatcherServlet.class, jakarta.websocket.server.ServerContainer.class })
	static class WebMvcConfiguration {

		@Bean
		SignalRHandlerMapping signalRHandlerMapping(SignalRRouteRegistry registry, ConnectionManager connections,
				SignalRProperties properties, Scheduler signalRHubMethodScheduler,
				ObjectProvider<RouteAuthorizer> authorizer, ObjectProvider<AuthenticationRefreshPolicy> refreshPolicy) {
			// writes off the threads that send: they may wait for a slow client (virtual threads where the JVM has them)
			Executor writes = (task) -> signalRHubMethodScheduler.schedule(task);
			int maxFrameSize = (int) properties.getWebsocket().getMaxFrameSize().toBytes();
			SignalRRequestHandler handler = new SignalRRequestHandler(connections,
					new WebSocketTransport(maxFrameSize, writes), properties.getLongPolling().getPollTimeout(),
					maxFrameSize, writes);
			authorizer.ifAvailable(handler::setAuthorizer);
			handler.setAuthenticationRefresh((endpoint) -> properties.authenticationRefresh(endpoint.name()),
					SignalRAutoConfiguration.oauth2TokensPresent() ? TokenExpiration::of : (user) -> null,
					refreshPolicy.getIfAvailable(() -> AuthenticationRefreshPolicy.ACCEPT_ALL));
			Integer maximumConnections = properties.getMaximumConnections();
			handler.setMaximumConnections(
					(maximumConnections != null) ? maximumConnections : OpenFileLimit.maximumConnections());
			CorsConfiguration cors = properties.getCors().toCorsConfiguration();
			handler.setCors(cors);
			SignalRHandlerMapping mapping = new SignalRHandlerMapping(registry, handler);
			if (cors != null) {
				mapping.setCorsConfigurationSource((request) -> cors);
			}
			return mapping;
		}

		@Bean
		@ConditionalOnMissingBean
		SecretRedactingServletFilter signalRSecretRedactingServletFilter(SignalRRouteRegistry registry) {
			return new SecretRedactingServletFilter(registry::matches);
		}

	}

	/** On Tomcat: an abort for each SignalR response, which the servlet API does not offer. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.apache.catalina.valves.ValveBase",
			"org.springframework.boot.tomcat.TomcatContextCustomizer" })
	static class TomcatAbortConfiguration {

		@Bean
		TomcatContextCustomizer signalRTomcatResponseAbortCustomizer(SignalRRouteRegistry registry) {
			return (context) -> context.getPipeline().addValve(new TomcatResponseAbortValve(registry::matches));
		}

	}

	/** Kestrel's HTTP/1.1 read limits ({@code signalr.http.*}) on Tomcat, as far as it has them. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory",
			"org.apache.catalina.connector.Connector" })
	static class TomcatHttpLimitsConfiguration {

		@Bean
		TomcatHttpLimits signalRTomcatHttpLimits(SignalRProperties properties) {
			SignalRHttpProperties http = properties.getHttp();
			return new TomcatHttpLimits(http.getKeepAliveTimeout(), http.getRequestHeadersTimeout(),
					http.getMinRequestBodyDataRate(), http.getMinRequestBodyDataRateGracePeriod());
		}

	}

	/** Spring Security on the servlet stack: hub-level authorization, bearer tokens in the query of GETs. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.core.Authentication",
			"org.springframework.web.servlet.DispatcherServlet" })
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean(RouteAuthorizer.class)
		ServletSecurityRouteAuthorizer signalRServletRouteAuthorizer(
				ObjectProvider<MethodSecurityExpressionHandler> expressionHandler, SignalRProperties properties) {
			return new ServletSecurityRouteAuthorizer(
					expressionHandler.getIfAvailable(DefaultMethodSecurityExpressionHandler::new), (name) -> {
						SignalRProperties.HubSettings settings = properties.hubSettings(name);
						return new SecurityRouteAuthorizer.HubSecurity(settings.isAuthenticated(),
								settings.getAuthorities());
					});
		}

		@Bean
		@ConditionalOnMissingBean
		AccessTokenQueryParameterServletFilter signalRAccessTokenQueryParameterServletFilter(
				SignalRRouteRegistry registry) {
			return new AccessTokenQueryParameterServletFilter(registry::matches);
		}

	}

	/** SignalR's part of a servlet security configuration, for the application's filter chain. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.config.annotation.web.builders.HttpSecurity",
			"org.springframework.web.servlet.DispatcherServlet" })
	static class HttpSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SignalRHttpSecurity signalRHttpSecurity(SignalRRouteRegistry registry) {
			return new SignalRHttpSecurity(registry);
		}

	}

	/** A servlet application that neither adapter serves: it stops at startup with what to add. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.web.servlet.DispatcherServlet")
	static class MissingSpringMvc {

		MissingSpringMvc() {
			throw new IllegalStateException(MISSING_SPRING_MVC);
		}

	}

	/** A servlet application without Jakarta WebSocket: it stops at startup with what to add. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnMissingClass("jakarta.websocket.server.ServerContainer")
	static class MissingJakartaWebSocket {

		MissingJakartaWebSocket() {
			throw new IllegalStateException(MISSING_JAKARTA_WEBSOCKET);
		}

	}

	static final String MISSING_SPRING_MVC = "SignalR serves a servlet application through Spring MVC, which is not on "
			+ "the class path: add org.springframework.boot:spring-boot-starter-webmvc (or use "
			+ "io.github.springsignalr:signalr-spring-boot-starter-webmvc in place of the SignalR starter); a "
			+ "reactive application uses io.github.springsignalr:signalr-spring-boot-starter (WebFlux).";

	static final String MISSING_JAKARTA_WEBSOCKET = "SignalR serves a servlet application's WebSockets through the "
			+ "container's Jakarta WebSocket implementation, which is not on the class path: add "
			+ "org.springframework.boot:spring-boot-starter-tomcat (with tomcat-embed-websocket) or "
			+ "spring-boot-starter-jetty, or use io.github.springsignalr:signalr-spring-boot-starter-webmvc.";
}
