package io.github.springsignalr.autoconfigure;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import reactor.core.scheduler.Scheduler;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionEndpoint;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.webflux.SignalREndpointRegistry;

/**
 * Once every singleton exists, finds the {@link Hub @Hub} and {@link ConnectionMapping @ConnectionMapping}
 * beans, builds their endpoints and logs one line per mapping.
 */
final class SignalREndpointInitializer implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(SignalREndpointInitializer.class);

	private final ApplicationContext context;

	private final SignalREndpointRegistry registry;

	private final SignalRProperties properties;

	private final List<HubProtocol> protocols;

	private final HubLifetimeManagerFactory lifetimeManagers;

	private final UserIdProvider userIdProvider;

	private final Scheduler blocking;

	private final List<HubFilter> filters;

	private SignalRMetrics metrics = SignalRMetrics.NOOP;

	SignalREndpointInitializer(ApplicationContext context, SignalREndpointRegistry registry,
			SignalRProperties properties, List<HubProtocol> protocols, HubLifetimeManagerFactory lifetimeManagers,
			UserIdProvider userIdProvider, Scheduler blocking, List<HubFilter> filters) {
		this.filters = filters;
		this.context = context;
		this.registry = registry;
		this.properties = properties;
		this.protocols = protocols;
		this.lifetimeManagers = lifetimeManagers;
		this.userIdProvider = userIdProvider;
		this.blocking = blocking;
	}

	/** Sets where the hubs report the messages of their connections. */
	void setMetrics(SignalRMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConnectionOptions connectionOptions = connectionOptions();
		HubOptions hubOptions = hubOptions(this.properties.getHub());
		for (Map.Entry<String, Object> entry : this.context.getBeansWithAnnotation(Hub.class).entrySet()) {
			Object bean = entry.getValue();
			Class<?> hubClass = ClassUtils.getUserClass(bean);
			Hub hub = AnnotatedElementUtils.findMergedAnnotation(hubClass, Hub.class);
			if (hub == null) {
				continue;
			}
			String name = hub.name().isEmpty() ? hubClass.getSimpleName() : hub.name();
			HubDescriptor descriptor = HubDescriptor.of(hubClass);
			HubLifetimeManager lifetime = this.lifetimeManagers.create(name, hubClass);
			// a proxy (method security, transactions) is bypassed: authorization is checked per invocation here
			Object target = AopProxyUtils.getSingletonTarget(bean);
			List<HubProtocol> protocols = supportedProtocols(name);
			HubConnectionHandler handler = new HubConnectionHandler(name, (target != null) ? target : bean, descriptor,
					protocols,
					hubOptions, lifetime, this.userIdProvider, this.blocking);
			handler.setFilters(hubFilters(hub));
			handler.setMetrics(this.metrics);
			if (this.properties.isCloseOnAuthenticationExpiration() && ClassUtils.isPresent(
					"org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken",
					getClass().getClassLoader())) {
				handler.setAuthenticationExpiration(io.github.springsignalr.security.TokenExpiration::of);
			}
			ConnectionOptions options = connectionOptions;
			if (hub.transports().length > 0) {
				Set<TransportType> transports = EnumSet.noneOf(TransportType.class);
				transports.addAll(Arrays.asList(hub.transports()));
				transports.retainAll(connectionOptions.transports());
				options = connectionOptions.withTransports(transports);
			}
			this.registry.register(new ConnectionEndpoint(hub.value(), name, handler, options, bean));
			this.registry.registerHub(hubClass, lifetime);
			logger.info("Mapped SignalR hub " + name + " at " + hub.value() + " (" + descriptor.methods().size()
					+ " methods; transports " + transports(options) + "; protocols "
					+ protocols.stream().map(HubProtocol::name).collect(Collectors.joining(", ")) + ")");
		}
		for (Map.Entry<String, Object> entry : this.context.getBeansWithAnnotation(ConnectionMapping.class)
			.entrySet()) {
			Object bean = entry.getValue();
			ConnectionMapping mapping = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(bean),
					ConnectionMapping.class);
			if (mapping == null) {
				continue;
			}
			if (!(bean instanceof ConnectionHandler handler)) {
				throw new IllegalStateException("Bean '" + entry.getKey() + "' is annotated with @ConnectionMapping but"
						+ " does not implement " + ConnectionHandler.class.getName());
			}
			this.registry.register(
					new ConnectionEndpoint(mapping.value(), entry.getKey(), handler, connectionOptions, bean));
			logger.info("Mapped SignalR connection handler " + entry.getKey() + " at " + mapping.value()
					+ " (transports " + transports(connectionOptions) + ")");
		}
	}

	/** The global filters, then the hub's own. */
	private List<HubFilter> hubFilters(Hub hub) {
		if (hub.filters().length == 0) {
			return this.filters;
		}
		List<HubFilter> filters = new java.util.ArrayList<>(this.filters);
		for (Class<? extends HubFilter> type : hub.filters()) {
			HubFilter filter = this.context.getBeanProvider(type).getIfAvailable();
			filters.add((filter != null) ? filter : this.context.getAutowireCapableBeanFactory().createBean(type));
		}
		return filters;
	}

	/** The protocols a hub offers: its own setting, else the global one, else all. */
	private List<HubProtocol> supportedProtocols(String hubName) {
		List<String> names = this.properties.hubSettings(hubName).getSupportedProtocols();
		if (names.isEmpty()) {
			names = this.properties.getHub().getSupportedProtocols();
		}
		if (names.isEmpty()) {
			return this.protocols;
		}
		List<String> wanted = names.stream().map((name) -> name.toLowerCase(java.util.Locale.ROOT)).toList();
		List<HubProtocol> supported = this.protocols.stream()
			.filter((protocol) -> wanted.contains(protocol.name().toLowerCase(java.util.Locale.ROOT)))
			.toList();
		if (supported.isEmpty()) {
			throw new IllegalStateException("Hub " + hubName + " supports none of the protocols " + names
					+ "; available: " + this.protocols.stream().map(HubProtocol::name).toList());
		}
		return supported;
	}

	private static String transports(ConnectionOptions options) {
		return options.transports().stream().map(TransportType::wireName).collect(Collectors.joining(", "));
	}

	private ConnectionOptions connectionOptions() {
		return new ConnectionOptions(this.properties.getTransports(), this.properties.getDisconnectTimeout(),
				this.properties.getOutboundBufferSize().toBytes(),
				(int) this.properties.getWebsocket().getMaxFrameSize().toBytes(),
				this.properties.isAllowStatefulReconnects(), this.properties.getCloseTimeout());
	}

	static HubOptions hubOptions(SignalRHubProperties hub) {
		return new HubOptions(hub.getKeepAliveInterval(), hub.getClientTimeoutInterval(), hub.getHandshakeTimeout(),
				(int) hub.getMaximumReceiveMessageSize().toBytes(), hub.getMaximumParallelInvocationsPerClient(),
				hub.isEnableDetailedErrors(), hub.getStreamBufferCapacity(), hub.getClientResultTimeout(),
				hub.getStatefulReconnectBufferSize().toBytes());
	}
}
