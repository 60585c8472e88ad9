package io.github.springsignalr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import io.github.springsignalr.security.AuthenticationPrincipalArgumentResolver;
import io.github.springsignalr.security.OAuth2TokenArgumentResolver;
import io.github.springsignalr.security.SignalRServerHttpSecurity;

/**
 * The beans behind Spring's conventions in hubs, each present only with what it needs on the classpath:
 * Bean Validation of arguments with a validation provider, principal and token parameters with Spring
 * Security (and its resource server), and the security customizer with Spring Security's configuration.
 */
class HubConventionsAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void validatesHubMethodArgumentsWithABeanValidationProvider() {
		this.runner.run((context) -> assertThat(context).hasBean("signalRHubMethodValidator"));
	}

	@Test
	void noValidationWithoutABeanValidationProvider() {
		this.runner
			.withClassLoader(new FilteredClassLoader(
					new ClassPathResource("META-INF/services/jakarta.validation.spi.ValidationProvider")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("signalRHubMethodValidator");
			});
	}

	@Test
	void suppliesPrincipalAndTokenParametersWithSpringSecurity() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(AuthenticationPrincipalArgumentResolver.class);
			assertThat(context).hasSingleBean(OAuth2TokenArgumentResolver.class);
			assertThat(context).hasSingleBean(SignalRServerHttpSecurity.class);
		});
	}

	@Test
	void noTokenParametersWithoutTheResourceServer() {
		this.runner.withClassLoader(new FilteredClassLoader(AbstractOAuth2TokenAuthenticationToken.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(AuthenticationPrincipalArgumentResolver.class);
				assertThat(context).doesNotHaveBean(OAuth2TokenArgumentResolver.class);
			});
	}

	@Test
	void noSecurityBeansWithoutSpringSecurity() {
		this.runner.withClassLoader(new FilteredClassLoader(Authentication.class, ServerHttpSecurity.class,
				AbstractOAuth2TokenAuthenticationToken.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AuthenticationPrincipalArgumentResolver.class);
				assertThat(context).doesNotHaveBean(SignalRServerHttpSecurity.class);
			});
	}

}
