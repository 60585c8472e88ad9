package io.github.springsignalr.webmvc;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

import io.github.springsignalr.Hub;
import io.github.springsignalr.autoconfigure.SignalRAutoConfiguration;
import io.github.springsignalr.hub.HubRuntime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the servlet stack starts: the MVC adapter serves a servlet application, the starter brings neither
 * WebFlux nor Reactor Netty, and a servlet application that the adapter cannot serve stops at startup
 * with what to add.
 */
class ServletStackStartupTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withBean(ChatHub.class);

	@Test
	void servletApplicationIsServedByTheMvcAdapter() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(HubRuntime.class).hasSingleBean(SignalRHandlerMapping.class);
			assertThat(context.getBeansOfType(Object.class).values())
				.noneMatch((bean) -> bean.getClass().getName().startsWith("io.github.springsignalr.webflux."));
		});
	}

	@Test
	void starterBringsNeitherWebFluxNorReactorNetty() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("org.springframework.web.reactive.DispatcherHandler", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("reactor.netty.http.server.HttpServer", classLoader)).isFalse();
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", classLoader)).isTrue();
	}

	@Test
	void servletApplicationWithoutSpringMvcFailsSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class)).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Spring MVC, which is not on the class path")
				.hasMessageContaining("spring-boot-starter-webmvc")
				.hasMessageContaining("signalr-spring-boot-starter-webmvc");
		});
	}

	@Test
	void servletApplicationWithoutJakartaWebSocketFailsSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("jakarta.websocket.server")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Jakarta WebSocket implementation, which is not on the class path")
				.hasMessageContaining("tomcat-embed-websocket");
		});
	}

	@Hub("/chat")
	static class ChatHub {

		public String send(String message) {
			return message;
		}

	}
}
