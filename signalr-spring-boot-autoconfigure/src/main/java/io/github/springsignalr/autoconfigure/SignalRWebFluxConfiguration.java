package io.github.springsignalr.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.DispatcherHandler;

import io.github.springsignalr.AuthenticationRefreshPolicy;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.security.AccessTokenQueryParameterWebFilter;
import io.github.springsignalr.security.SecurityRouteAuthorizer;
import io.github.springsignalr.security.SignalRServerHttpSecurity;
import io.github.springsignalr.security.TokenExpiration;
import io.github.springsignalr.webflux.DirectTransportRequests;
import io.github.springsignalr.webflux.LegacyHandlerMapping;
import io.github.springsignalr.webflux.HttpRequestTimeouts;
import io.github.springsignalr.webflux.RequestForwardingWebFilter;
import io.github.springsignalr.webflux.RouteAuthorizer;
import io.github.springsignalr.webflux.SecretRedactingHttpHandlerDecorator;
import io.github.springsignalr.webflux.SignalRHandlerMapping;
import io.github.springsignalr.webflux.SignalRRequestHandler;
import io.github.springsignalr.webflux.WebSocketTransport;

/**
 * The WebFlux adapter of {@link SignalRAutoConfiguration}: the hubs' paths in a reactive application,
 * with Reactor Netty's read limits and Spring Security's reactive integration.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(DispatcherHandler.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class SignalRWebFluxConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SecretRedactingHttpHandlerDecorator signalRSecretRedactingHttpHandlerDecorator(SignalRRouteRegistry registry) {
		return new SecretRedactingHttpHandlerDecorator(registry::matches);
	}

	@Bean
	SignalRHandlerMapping signalRHandlerMapping(SignalRRouteRegistry registry, ConnectionManager connections,
			SignalRProperties properties, ObjectProvider<RouteAuthorizer> authorizer,
			ObjectProvider<AuthenticationRefreshPolicy> refreshPolicy) {
		WebSocketTransport webSockets = new WebSocketTransport(
				(int) properties.getWebsocket().getMaxFrameSize().toBytes());
		SignalRRequestHandler handler = new SignalRRequestHandler(connections, webSockets,
				properties.getLongPolling().getPollTimeout(), (int) properties.getWebsocket().getMaxFrameSize().toBytes());
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
			mapping.setCorsConfigurationSource((exchange) -> cors);
		}
		return mapping;
	}

	/** Kestrel's HTTP/1.1 read limits on the Reactor Netty server ({@code signalr.http.*}). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.reactor.netty.NettyServerCustomizer",
			"reactor.netty.http.server.HttpServer" })
	static class NettyServerConfiguration {

		@Bean
		NettyServerCustomizer signalRHttpRequestTimeouts(SignalRProperties properties) {
			SignalRHttpProperties http = properties.getHttp();
			HttpRequestTimeouts timeouts = new HttpRequestTimeouts(http.getKeepAliveTimeout(),
					http.getRequestHeadersTimeout(), http.getMinRequestBodyDataRate(),
					http.getMinRequestBodyDataRateGracePeriod());
			return (server) -> server.doOnChannelInit((observer, channel, remoteAddress) -> timeouts.install(channel));
		}

		/** The POSTs and polls of open SSE and long-polling connections, ahead of WebFlux when nothing in it acts on them. */
		@Bean
		DirectTransportRequests signalRDirectTransportRequests(SignalRRouteRegistry registry,
				ConnectionManager connections, SignalRHandlerMapping mapping, ObjectProvider<HttpHandler> application) {
			return new DirectTransportRequests(registry, connections, mapping, application::getIfUnique,
					(filter) -> filter instanceof RequestForwardingWebFilter
							|| filter instanceof AccessTokenQueryParameterWebFilter);
		}

		@Bean
		NettyRouteProvider signalRDirectTransportRoute(DirectTransportRequests direct) {
			return (routes) -> routes.route(direct, direct);
		}

	}

	/** Spring Security: hub-level authorization, bearer tokens in the query of GETs. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean(RouteAuthorizer.class)
		SecurityRouteAuthorizer signalRRouteAuthorizer(
				ObjectProvider<MethodSecurityExpressionHandler> expressionHandler, SignalRProperties properties) {
			return new SecurityRouteAuthorizer(expressionHandler.getIfAvailable(DefaultMethodSecurityExpressionHandler::new),
					(name) -> {
						SignalRProperties.HubSettings settings = properties.hubSettings(name);
						return new SecurityRouteAuthorizer.HubSecurity(settings.isAuthenticated(),
								settings.getAuthorities());
					});
		}

		@Bean
		@ConditionalOnMissingBean
		AccessTokenQueryParameterWebFilter signalRAccessTokenQueryParameterWebFilter(SignalRRouteRegistry registry) {
			return new AccessTokenQueryParameterWebFilter(registry::matches);
		}

	}

	/** SignalR's part of a WebFlux security configuration, for the application's filter chain. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.config.web.server.ServerHttpSecurity")
	static class ServerHttpSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SignalRServerHttpSecurity signalRServerHttpSecurity(SignalRRouteRegistry registry,
				ObjectProvider<LegacyHandlerMapping> legacy) {
			return new SignalRServerHttpSecurity(registry, legacy::getIfAvailable);
		}

	}
}
