package io.github.springsignalr.autoconfigure.legacy;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.DispatcherHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.webflux.LegacyHandlerMapping;
import io.github.springsignalr.webflux.LegacyRequestHandler;
import io.github.springsignalr.webflux.RouteAuthorizer;

/** The classic endpoint on WebFlux. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(DispatcherHandler.class)
class SignalRLegacyWebFluxConfiguration {

	@Bean
	SignalRLegacyShutdownLifecycle signalRLegacyShutdownLifecycle(LegacyHandlerMapping mapping, Environment environment) {
		return new SignalRLegacyShutdownLifecycle(() -> Flux.concat(Mono.just(mapping.requestHandler()),
				Flux.fromIterable(List.copyOf(mapping.persistentHandlers())))
			.flatMap((handler) -> handler.connections().shutdown())
			.then(), SignalRLegacyShutdownLifecycle.timeout(environment));
	}

	@Bean
	LegacyHandlerMapping signalRLegacyHandlerMapping(SignalRLegacyProperties properties, SignalRRouteRegistry registry,
			LegacyConnections connections, ObjectProvider<RouteAuthorizer> authorizer,
			SignalRProperties signalRProperties) {
		LegacyRequestHandler handler = new LegacyRequestHandler(connections);
		authorizer.ifAvailable((routes) -> handler.setAuthorizer(routes, registry));
		LegacyHandlerMapping mapping = new LegacyHandlerMapping(properties.getPath(), handler);
		if (properties.isPersistentConnections()) {
			mapping.setPersistentConnections(registry, (route) -> {
				LegacyRequestHandler persistent = new LegacyRequestHandler(connections.persistent(route));
				authorizer.ifAvailable(persistent::setRouteAuthorizer);
				return persistent;
			});
		}
		// the same origins as the hubs' ASP.NET Core routes
		CorsConfiguration cors = signalRProperties.getCors().toCorsConfiguration();
		if (cors != null) {
			mapping.setCorsConfigurationSource((exchange) -> cors);
		}
		return mapping;
	}
}
