package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnResource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.validation.beanvalidation.MethodValidationAdapter;
import org.springframework.validation.method.MethodValidator;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubMethodArgumentResolver;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.hub.HubContextRegistrar;
import io.github.springsignalr.hub.HubOptions;
import io.github.springsignalr.hub.HubRuntime;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.MessagePackHubProtocol;
import io.github.springsignalr.security.AuthenticationPrincipalArgumentResolver;
import io.github.springsignalr.security.MethodAuthorizationFilter;
import io.github.springsignalr.security.OAuth2TokenArgumentResolver;
import io.github.springsignalr.security.TokenExpiration;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * Auto-configuration of SignalR on Spring WebFlux or Spring MVC: every {@link io.github.springsignalr.Hub @Hub}
 * and {@link io.github.springsignalr.ConnectionMapping @ConnectionMapping} bean is served at its path with
 * negotiate and the enabled transports, by the adapter of the web stack the application runs on
 * ({@link SignalRWebFluxConfiguration}, {@link SignalRWebMvcConfiguration}). Each bean here backs off when
 * the application declares its own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
		"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration" })
@ConditionalOnClass(Mono.class)
@Conditional(OnSignalRWebStackCondition.class)
@EnableConfigurationProperties(SignalRProperties.class)
@Import({ SignalRWebFluxConfiguration.class, SignalRWebMvcConfiguration.class })
public final class SignalRAutoConfiguration {

	/** Checked before reading when a connection's bearer token expires. */
	private static final String OAUTH2_TOKEN = "org.springframework.security.oauth2.server.resource.authentication."
			+ "AbstractOAuth2TokenAuthenticationToken";

	/** The client the Redis backplane needs. */
	private static final String LETTUCE = "io.lettuce.core.RedisClient";

	@Bean
	static HubContextRegistrar signalRHubContextRegistrar() {
		return new HubContextRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	JsonHubProtocol jsonHubProtocol(ObjectProvider<JsonMapper> jsonMapper) {
		return new JsonHubProtocol(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

	/** MessagePack names and converts values as the JSON protocol's mapper does. */
	@Bean
	@ConditionalOnMissingBean
	MessagePackHubProtocol messagePackHubProtocol(JsonHubProtocol jsonHubProtocol) {
		return new MessagePackHubProtocol(jsonHubProtocol.mapper());
	}

	@Bean
	@ConditionalOnMissingBean
	UserIdProvider signalRUserIdProvider() {
		return (connection) -> (connection.user() != null) ? connection.user().getName() : null;
	}

	/** In memory: each node reaches its own connections; refused when a backplane was asked for. */
	@Bean
	@ConditionalOnMissingBean
	HubLifetimeManagerFactory hubLifetimeManagerFactory(SignalRProperties properties, ApplicationContext context) {
		if (properties.getBackplane() == SignalRProperties.Backplane.REDIS
				|| context.getEnvironment().getProperty("signalr.redis.enabled", Boolean.class, false)) {
			throw new IllegalStateException(ClassUtils.isPresent(LETTUCE, context.getClassLoader())
					? "The Redis backplane was asked for (signalr.backplane=redis) but its auto-configuration did not "
							+ "run: do not exclude SignalRRedisAutoConfiguration, or remove signalr.backplane."
					: "The Redis backplane was asked for (signalr.backplane=redis) but Lettuce is not on the classpath: "
							+ "add the dependency io.lettuce:lettuce-core, or remove signalr.backplane to run one node.");
		}
		return (hubName, hubClass) -> new DefaultHubLifetimeManager();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ConnectionManager signalRConnectionManager(SignalRProperties properties, ObjectProvider<SignalRMetrics> metrics) {
		ConnectionManager manager = new ConnectionManager(heartbeatInterval(properties));
		metrics.ifAvailable(manager::setMetrics);
		return manager;
	}

	/** Waits as long as Spring's lifecycle lets a shutdown phase take (30 s unless configured). */
	@Bean
	SignalRShutdownLifecycle signalRShutdownLifecycle(ConnectionManager connections, HubRuntime hubs,
			Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		return new SignalRShutdownLifecycle(connections, hubs::runningInvocations, timeout);
	}

	/** One second like the reference, finer when a configured interval is short (as in tests). */
	static Duration heartbeatInterval(SignalRProperties properties) {
		SignalRHubProperties hub = properties.getHub();
		Duration shortest = Stream
			.of(hub.getKeepAliveInterval(), hub.getClientTimeoutInterval(), hub.getHandshakeTimeout(),
					properties.getDisconnectTimeout())
			.min(Duration::compareTo)
			.orElseThrow();
		Duration fine = shortest.dividedBy(4);
		return (fine.compareTo(Duration.ofSeconds(1)) < 0) ? fine : Duration.ofSeconds(1);
	}

	@Bean
	@ConditionalOnMissingBean
	SignalRRouteRegistry signalRRouteRegistry() {
		return new SignalRRouteRegistry();
	}

	@Bean(destroyMethod = "dispose")
	Scheduler signalRHubMethodScheduler() {
		return blockingScheduler();
	}

	/** Virtual threads where the JVM has them, a bounded elastic pool otherwise. */
	static Scheduler blockingScheduler() {
		if (Runtime.version().feature() >= 21) {
			try {
				ExecutorService executor = (ExecutorService) Executors.class
					.getMethod("newVirtualThreadPerTaskExecutor")
					.invoke(null);
				return Schedulers.fromExecutorService(executor, "signalr-hub-methods");
			}
			catch (ReflectiveOperationException ex) {
				// fall through to a platform thread pool
			}
		}
		return Schedulers.newBoundedElastic(Math.max(10, Runtime.getRuntime().availableProcessors() * 10), 100_000,
				"signalr-hub-methods", 60, true);
	}

	/** Spring Security: method-level authorization (hub-level and bearer tokens: each web stack's configuration). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MethodAuthorizationFilter signalRMethodAuthorizationFilter(
				ObjectProvider<MethodSecurityExpressionHandler> expressionHandler) {
			return new MethodAuthorizationFilter(
					expressionHandler.getIfAvailable(DefaultMethodSecurityExpressionHandler::new));
		}

		/** {@code @AuthenticationPrincipal} parameters of hub methods. */
		@Bean
		@ConditionalOnMissingBean
		AuthenticationPrincipalArgumentResolver signalRAuthenticationPrincipalArgumentResolver() {
			return new AuthenticationPrincipalArgumentResolver();
		}

	}

	/** OAuth 2 token ({@code Jwt}) parameters of hub methods, when a resource server authenticates. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.oauth2.server.resource.authentication."
			+ "AbstractOAuth2TokenAuthenticationToken")
	static class OAuth2TokenConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OAuth2TokenArgumentResolver signalROAuth2TokenArgumentResolver() {
			return new OAuth2TokenArgumentResolver();
		}

	}

	/** Bean Validation of hub method arguments, when a Bean Validation provider is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "jakarta.validation.Validator")
	@ConditionalOnResource(resources = "classpath:META-INF/services/jakarta.validation.spi.ValidationProvider")
	static class ValidationConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "signalRHubMethodValidator")
		MethodValidator signalRHubMethodValidator(ObjectProvider<jakarta.validation.Validator> validator) {
			return new MethodValidationAdapter(() -> validator
				.getIfUnique(() -> jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator()));
		}

	}

	/** The hubs, assembled by the library once every bean exists and mapped at their paths. */
	@Bean
	HubRuntime signalRHubRuntime(ApplicationContext context, SignalRRouteRegistry registry,
			SignalRProperties properties, List<HubProtocol> protocols, HubLifetimeManagerFactory lifetimeManagers,
			UserIdProvider userIdProvider, Scheduler signalRHubMethodScheduler, ObjectProvider<HubFilter> filters,
			ObjectProvider<SignalRMetrics> metrics, ObjectProvider<HubOptionsCustomizer> hubOptionsCustomizers,
			ObjectProvider<HubMethodArgumentResolver> argumentResolvers,
			@Qualifier("signalRHubMethodValidator") ObjectProvider<MethodValidator> methodValidator) {
		List<HubOptionsCustomizer> customizers = hubOptionsCustomizers.orderedStream().toList();
		HubRuntime.Builder hubs = HubRuntime
			.builder(context, lifetimeManagers, userIdProvider, signalRHubMethodScheduler)
			.protocols(protocols)
			.supportedProtocols((hubName) -> supportedProtocols(properties, hubName))
			.hubOptions((name, type) -> {
				HubOptions options = hubOptions(properties.getHub(), properties.hubSettings(name));
				for (HubOptionsCustomizer customizer : customizers) {
					options = customizer.customize(name, type, options);
				}
				return options;
			})
			.connectionOptions(connectionOptions(properties))
			.filters(filters.orderedStream().toList())
			.argumentResolvers(argumentResolvers.orderedStream().toList())
			.paths(registry::register);
		metrics.ifAvailable(hubs::metrics);
		methodValidator.ifAvailable(hubs::methodValidator);
		if (properties.isCloseOnAuthenticationExpiration() && oauth2TokensPresent()) {
			hubs.authenticationExpiration(TokenExpiration::of);
		}
		return hubs.build();
	}

	static boolean oauth2TokensPresent() {
		return ClassUtils.isPresent(OAUTH2_TOKEN, SignalRAutoConfiguration.class.getClassLoader());
	}

	/** The protocols a hub offers by name: its own setting, else the global one; empty for all. */
	private static List<String> supportedProtocols(SignalRProperties properties, String hubName) {
		List<String> names = properties.hubSettings(hubName).getSupportedProtocols();
		return names.isEmpty() ? properties.getHub().getSupportedProtocols() : names;
	}

	private static ConnectionOptions connectionOptions(SignalRProperties properties) {
		return new ConnectionOptions(properties.getTransports(), properties.getDisconnectTimeout(),
				properties.getOutboundBufferSize().toBytes(), (int) properties.getWebsocket().getMaxFrameSize().toBytes(),
				properties.isAllowStatefulReconnects(), properties.getCloseTimeout());
	}

	/** The global {@code signalr.hub.*} options with those a hub's {@code signalr.hubs.<name>.*} sets. */
	static HubOptions hubOptions(SignalRHubProperties hub, SignalRProperties.HubSettings own) {
		return new HubOptions(or(own.getKeepAliveInterval(), hub.getKeepAliveInterval()),
				or(own.getClientTimeoutInterval(), hub.getClientTimeoutInterval()),
				or(own.getHandshakeTimeout(), hub.getHandshakeTimeout()),
				(int) or(own.getMaximumReceiveMessageSize(), hub.getMaximumReceiveMessageSize()).toBytes(),
				or(own.getMaximumParallelInvocationsPerClient(), hub.getMaximumParallelInvocationsPerClient()),
				or(own.getEnableDetailedErrors(), hub.isEnableDetailedErrors()),
				or(own.getStreamBufferCapacity(), hub.getStreamBufferCapacity()),
				(own.getClientResultTimeout() != null) ? own.getClientResultTimeout() : hub.getClientResultTimeout(),
				or(own.getStatefulReconnectBufferSize(), hub.getStatefulReconnectBufferSize()).toBytes());
	}

	private static <T> T or(@Nullable T own, T global) {
		return (own != null) ? own : global;
	}
}
