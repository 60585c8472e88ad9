package io.github.springsignalr.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import io.github.springsignalr.HubFilter;
import io.github.springsignalr.autoconfigure.actuate.SignalREndpointAutoConfiguration;
import io.github.springsignalr.autoconfigure.actuate.SignalREndpointProperties;
import io.github.springsignalr.autoconfigure.actuate.SignalRHealthContributorAutoConfiguration;
import io.github.springsignalr.autoconfigure.actuate.SignalROpsViewAutoConfiguration;
import io.github.springsignalr.autoconfigure.actuate.SignalROpsViewProperties;
import io.github.springsignalr.autoconfigure.observation.SignalRMetricsAutoConfiguration;
import io.github.springsignalr.autoconfigure.observation.SignalRObservationAutoConfiguration;
import io.github.springsignalr.autoconfigure.redis.SignalRRedisAutoConfiguration;
import io.github.springsignalr.actuate.SignalREndpoint;
import io.github.springsignalr.actuate.SignalRRedisHealthIndicator;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.observation.DefaultHubInvocationObservationConvention;
import io.github.springsignalr.observation.HubInvocationObservationConvention;
import io.github.springsignalr.observation.ObservationHubFilter;
import io.github.springsignalr.observation.SignalRMeters;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.redis.RedisBackplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The metrics, observation, endpoint and health auto-configurations: what each adds and when it backs off.
 */
class SignalRObservabilityAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class,
				SignalRMetricsAutoConfiguration.class, SignalRObservationAutoConfiguration.class,
				SignalREndpointAutoConfiguration.class, SignalRHealthContributorAutoConfiguration.class,
				SignalROpsViewAutoConfiguration.class));

	@Test
	void registersNoMetersWithoutAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SignalRMetrics.class));
	}

	@Test
	void bindsMetersToTheMeterRegistry() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(SignalRMeters.class);
			SignalRMeters meters = context.getBean(SignalRMeters.class);
			meters.bindTo(context.getBean(MeterRegistry.class));
			meters.connectionStarted("ChatHub", io.github.springsignalr.TransportType.WEB_SOCKETS);
			assertThat(context.getBean(MeterRegistry.class)
				.get("signalr.server.active_connections")
				.tags("signalr.hub", "ChatHub", "signalr.transport", "web_sockets")
				.gauge()
				.value()).isEqualTo(1.0);
			assertThat(context).hasSingleBean(ConnectionManager.class);
		});
	}

	@Test
	void backsOffWhenTheApplicationDeclaresItsOwnMetrics() {
		SignalRMetrics own = new SignalRMetrics() {
		};
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(SignalRMetrics.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(SignalRMeters.class)
				.getBean(SignalRMetrics.class)
				.isSameAs(own));
	}

	@Test
	void addsNoObservationFilterWithoutAnObservationRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ObservationHubFilter.class));
	}

	@Test
	void addsAnObservationFilterWithTheApplicationsConvention() {
		HubInvocationObservationConvention convention = new DefaultHubInvocationObservationConvention() {
		};
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(HubInvocationObservationConvention.class, () -> convention)
			.run((context) -> assertThat(context).hasSingleBean(ObservationHubFilter.class)
				.getBeans(HubFilter.class)
				.containsValue(context.getBean(ObservationHubFilter.class)));
	}

	@Test
	void addsNoEndpointUntilItIsExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SignalREndpoint.class));
	}

	@Test
	void addsTheEndpointHidingDetailsByDefault() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=signalr").run((context) -> {
			assertThat(context).hasSingleBean(SignalREndpoint.class);
			assertThat(context.getBean(SignalREndpointProperties.class).getShowDetails()).isEqualTo(Show.NEVER);
		});
	}

	@Test
	void endpointCountsMessagesOnlyWhenTheMetersAreRecorded() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=signalr")
			.run((context) -> assertThat(context).doesNotHaveBean(SignalREndpoint.MessageCounts.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=signalr")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(SignalREndpoint.MessageCounts.class));
	}

	@Test
	void servesTheOperatorViewOnlyWhenEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SignalROpsViewProperties.class)
			.doesNotHaveBean("signalROpsViewRouter"));
		this.runner.withPropertyValues("signalr.ops-view.enabled=true", "signalr.ops-view.path=/ops/signalr")
			.run((context) -> {
				assertThat(context).hasBean("signalROpsViewRouter");
				assertThat(context.getBean(SignalROpsViewProperties.class).getPath()).isEqualTo("/ops/signalr");
			});
	}

	@Test
	void bindsShowDetails() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=signalr",
				"management.endpoint.signalr.show-details=when-authorized",
				"management.endpoint.signalr.roles=OPS")
			.run((context) -> {
				SignalREndpointProperties properties = context.getBean(SignalREndpointProperties.class);
				assertThat(properties.getShowDetails()).isEqualTo(Show.WHEN_AUTHORIZED);
				assertThat(properties.getRoles()).containsExactly("OPS");
			});
	}

	@Test
	void leavesTheEndpointOutWhenItsAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=signalr",
					"management.endpoint.signalr.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(SignalREndpoint.class));
	}

	@Test
	void addsTheBackplaneHealthIndicatorWhenThereIsABackplane() {
		this.runner.withBean(RedisBackplane.class, () -> mock(RedisBackplane.class))
			.run((context) -> assertThat(context).hasSingleBean(SignalRRedisHealthIndicator.class)
				.hasBean("signalrRedisBackplaneHealthIndicator"));
	}

	@Test
	void addsNoHealthIndicatorWithoutABackplaneOrWhenDisabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SignalRRedisHealthIndicator.class));
		this.runner.withBean(RedisBackplane.class, () -> mock(RedisBackplane.class))
			.withPropertyValues("management.health.signalr.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SignalRRedisHealthIndicator.class));
	}
}
