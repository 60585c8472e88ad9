package io.github.springsignalr.autoconfigure.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * Auto-configuration of the operator view: with {@code signalr.ops-view.enabled=true} the page at
 * {@code signalr.ops-view.path} ({@code /ops.html}) charts the hubs' connections and message rates from
 * the {@code signalr} Actuator endpoint, on WebFlux and on Spring MVC alike (a functional route of
 * either). The page holds no data itself; the endpoint it reads is secured like any other Actuator
 * endpoint.
 */
@AutoConfiguration
@ConditionalOnClass(HtmlUtils.class)
@ConditionalOnBooleanProperty("signalr.ops-view.enabled")
@EnableConfigurationProperties(SignalROpsViewProperties.class)
public final class SignalROpsViewAutoConfiguration {

	/** The page, with {@link #ACTUATOR_PLACEHOLDER} where the Actuator's base path goes. */
	private static final String PAGE = "io/github/springsignalr/actuate/ops-view.html";

	private static final String ACTUATOR_PLACEHOLDER = "{{actuator}}";

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	/** The page on WebFlux. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RouterFunction.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveOpsView {

		@Bean
		RouterFunction<ServerResponse> signalROpsViewRouter(SignalROpsViewProperties properties,
				Environment environment) {
			String actuator = actuatorPath(environment);
			String page = readPage();
			return RouterFunctions.route()
				.GET(properties.getPath(), (request) -> ServerResponse.ok()
					.contentType(HTML)
					.cacheControl(CacheControl.noStore())
					.bodyValue(page(page, request.requestPath().contextPath().value() + actuator)))
				.build();
		}

	}

	/** The page on Spring MVC. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletOpsView {

		@Bean
		org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse> signalROpsViewRouter(
				SignalROpsViewProperties properties, Environment environment) {
			String actuator = actuatorPath(environment);
			String page = readPage();
			return org.springframework.web.servlet.function.RouterFunctions.route()
				.GET(properties.getPath(), (request) -> org.springframework.web.servlet.function.ServerResponse.ok()
					.contentType(HTML)
					.cacheControl(CacheControl.noStore())
					.body(page(page, request.requestPath().contextPath().value() + actuator)))
				.build();
		}

	}

	private static String actuatorPath(Environment environment) {
		return environment.getProperty("management.endpoints.web.base-path", "/actuator");
	}

	/** The page with the Actuator's base path in place. */
	private static String page(String page, String actuatorBase) {
		return page.replace(ACTUATOR_PLACEHOLDER, HtmlUtils.htmlEscape(actuatorBase));
	}

	private static String readPage() {
		try (InputStream in = new ClassPathResource(PAGE, SignalROpsViewAutoConfiguration.class.getClassLoader())
			.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the operator view " + PAGE, ex);
		}
	}
}
