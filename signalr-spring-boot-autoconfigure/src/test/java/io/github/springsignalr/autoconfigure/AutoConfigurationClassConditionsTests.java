package io.github.springsignalr.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.function.server.RouterFunction;

import io.github.springsignalr.autoconfigure.actuate.SignalROpsViewAutoConfiguration;
import io.github.springsignalr.hub.HubRuntime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each auto-configuration names the classes it needs, so an application without them (no WebFlux, no
 * Lettuce, no Micrometer, no Actuator) starts without it.
 */
class AutoConfigurationClassConditionsTests {

	@Test
	void everyAutoConfigurationIsConditionalOnTheClassesItNeeds() throws ClassNotFoundException {
		ClassLoader classLoader = getClass().getClassLoader();
		List<String> names = ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.github.springsignalr."))
			.toList();
		assertThat(names).hasSize(8);
		for (String name : names) {
			Class<?> type = ClassUtils.forName(name, classLoader);
			assertThat(MergedAnnotations.from(type).isDirectlyPresent(ConditionalOnClass.class)).as(name).isTrue();
		}
	}

	@Test
	void hubsAreNotWiredWithoutWebFlux() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(DispatcherHandler.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HubRuntime.class));
	}

	@Test
	void operatorViewIsNotServedWithoutWebFluxFunctionalEndpoints() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SignalROpsViewAutoConfiguration.class))
			.withPropertyValues("signalr.ops-view.enabled=true")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("signalROpsViewRouter"));
	}

}
