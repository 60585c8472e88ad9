package io.github.springsignalr.autoconfigure.legacy;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.DispatcherServlet;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import io.github.springsignalr.autoconfigure.SignalRProperties;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.legacy.LegacyConnections;
import io.github.springsignalr.webmvc.LegacyHandlerMapping;
import io.github.springsignalr.webmvc.LegacyRequestHandler;
import io.github.springsignalr.webmvc.RouteAuthorizer;
import io.github.springsignalr.webmvc.TomcatResponseAbortValve;

/** The classic endpoint on Spring MVC (Tomcat, Jetty), WebSockets on the container's Jakarta WebSocket. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, ServerContainer.class })
class SignalRLegacyWebMvcConfiguration {

	@Bean
	SignalRLegacyShutdownLifecycle signalRLegacyShutdownLifecycle(LegacyHandlerMapping mapping, Environment environment) {
		return new SignalRLegacyShutdownLifecycle(() -> Flux.concat(Mono.just(mapping.requestHandler()),
				Flux.fromIterable(List.copyOf(mapping.persistentHandlers())))
			.flatMap((handler) -> handler.connections().shutdown())
			.then(), SignalRLegacyShutdownLifecycle.timeout(environment));
	}

	@Bean
	LegacyHandlerMapping signalRLegacyServletHandlerMapping(SignalRLegacyProperties properties,
			SignalRRouteRegistry registry, LegacyConnections connections, ObjectProvider<RouteAuthorizer> authorizer,
			SignalRProperties signalRProperties, Scheduler signalRHubMethodScheduler) {
		// writes off the threads that send: they may wait for a slow client (virtual threads where the JVM has them)
		Executor writes = (task) -> signalRHubMethodScheduler.schedule(task);
		LegacyRequestHandler handler = new LegacyRequestHandler(connections, writes);
		authorizer.ifAvailable(handler::setAuthorizer);
		LegacyHandlerMapping mapping = new LegacyHandlerMapping(properties.getPath(), handler);
		if (properties.isPersistentConnections()) {
			mapping.setPersistentConnections(registry, (route) -> {
				LegacyRequestHandler persistent = new LegacyRequestHandler(connections.persistent(route), writes);
				authorizer.ifAvailable(persistent::setRouteAuthorizer);
				return persistent;
			});
		}
		// the same origins as the hubs' ASP.NET Core routes
		CorsConfiguration cors = signalRProperties.getCors().toCorsConfiguration();
		if (cors != null) {
			mapping.setCorsConfigurationSource((request) -> cors);
		}
		return mapping;
	}

	/**
	 * On Tomcat: the classic endpoint's responses get the abort the servlet API lacks, as the hubs' do (a
	 * stream dropped for a client that does not read is closed at once).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.apache.catalina.valves.ValveBase",
			"org.springframework.boot.tomcat.TomcatContextCustomizer" })
	static class TomcatAbortConfiguration {

		@Bean
		TomcatContextCustomizer signalRLegacyTomcatResponseAbortCustomizer(SignalRLegacyProperties properties) {
			// the classic paths ignore case
			String prefix = properties.getPath().toLowerCase(Locale.ROOT) + "/";
			return (context) -> context.getPipeline()
				.addValve(new TomcatResponseAbortValve((path) -> path.toLowerCase(Locale.ROOT).startsWith(prefix)));
		}

	}
}
