package io.github.springsignalr.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * Matches a web application that one of SignalR's adapters serves: a reactive one with WebFlux, or a
 * servlet one (without Spring MVC it fails at startup, saying what to add).
 */
class OnSignalRWebStackCondition extends AnyNestedCondition {

	OnSignalRWebStackCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class WebFlux {

	}

	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class Servlet {

	}
}
