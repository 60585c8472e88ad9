package io.github.springsignalr.hub;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.ClassUtils;
import org.springframework.validation.method.MethodValidator;
import reactor.core.scheduler.Scheduler;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubAdvice;
import io.github.springsignalr.HubMethodArgumentResolver;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.metrics.SignalRMetrics;
import io.github.springsignalr.protocol.HubProtocol;

/**
 * The hubs of an application. Once every singleton exists it finds the {@link Hub @Hub} beans and, for
 * each, builds its descriptor, lifetime manager, protocols, filters and connection handler and maps it
 * at its path; it maps each {@link ConnectionMapping @ConnectionMapping} bean at its path too. It keeps
 * the lifetime manager of each hub class, which the hub's {@link HubContext} uses.
 *
 * <p>Built with {@link #builder}, e.g. by Spring Boot's auto-configuration, and declared as a bean:
 * <pre>{@code
 * HubRuntime.builder(context, lifetimeManagers, userIdProvider, scheduler)
 *     .protocols(protocols)
 *     .hubOptions(hubOptions)
 *     .connectionOptions(connectionOptions)
 *     .filters(filters)
 *     .paths(registry::register)
 *     .build();
 * }</pre>
 */
public final class HubRuntime implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(HubRuntime.class);

	private final ApplicationContext context;

	private final HubLifetimeManagerFactory lifetimeManagerFactory;

	private final UserIdProvider userIdProvider;

	private final Scheduler blocking;

	private final List<HubProtocol> protocols;

	private final Function<String, List<String>> supportedProtocols;

	private final BiFunction<String, Class<?>, HubOptions> hubOptions;

	private final ConnectionOptions connectionOptions;

	private final List<HubFilter> filters;

	private final SignalRMetrics metrics;

	private final @Nullable Function<Principal, @Nullable Instant> authenticationExpiration;

	private final Consumer<ConnectionRoute> paths;

	private final List<HubMethodArgumentResolver> argumentResolvers;

	private final @Nullable MethodValidator methodValidator;

	private final Map<Class<?>, HubLifetimeManager> lifetimeManagers = new ConcurrentHashMap<>();

	private final List<HubConnectionHandler> handlers = new CopyOnWriteArrayList<>();

	private HubRuntime(Builder builder) {
		this.context = builder.context;
		this.lifetimeManagerFactory = builder.lifetimeManagers;
		this.userIdProvider = builder.userIdProvider;
		this.blocking = builder.blocking;
		this.protocols = builder.protocols;
		this.supportedProtocols = builder.supportedProtocols;
		this.hubOptions = builder.hubOptions;
		this.connectionOptions = builder.connectionOptions;
		this.filters = builder.filters;
		this.metrics = builder.metrics;
		this.authenticationExpiration = builder.authenticationExpiration;
		this.paths = builder.paths;
		this.argumentResolvers = builder.argumentResolvers;
		this.methodValidator = builder.methodValidator;
	}

	/**
	 * Starts a builder.
	 * @param context where the hub, connection handler and per-hub filter beans are found
	 * @param lifetimeManagers creates the lifetime manager of each hub
	 * @param userIdProvider the user id of each connection
	 * @param blocking where hub methods that may block run
	 */
	public static Builder builder(ApplicationContext context, HubLifetimeManagerFactory lifetimeManagers,
			UserIdProvider userIdProvider, Scheduler blocking) {
		return new Builder(context, lifetimeManagers, userIdProvider, blocking);
	}

	/**
	 * The lifetime manager of a hub class.
	 * @throws IllegalStateException when the class is not a mapped hub
	 */
	public HubLifetimeManager lifetimeManager(Class<?> hubClass) {
		HubLifetimeManager manager = this.lifetimeManagers.get(hubClass);
		if (manager == null) {
			throw new IllegalStateException("No hub of class " + hubClass.getName() + " is mapped");
		}
		return manager;
	}

	/**
	 * How many invocations of hub methods are running over every hub (streams not counted); a graceful
	 * shutdown waits for them.
	 */
	public int runningInvocations() {
		int running = 0;
		for (HubConnectionHandler handler : this.handlers) {
			running += handler.runningInvocations();
		}
		return running;
	}

	/** Maps the hubs and connection handlers of the application, once every singleton exists. */
	@Override
	public void afterSingletonsInstantiated() {
		List<Object> advices = new ArrayList<>(this.context.getBeansWithAnnotation(HubAdvice.class).values());
		AnnotationAwareOrderComparator.sort(advices);
		for (Map.Entry<String, Object> entry : this.context.getBeansWithAnnotation(Hub.class).entrySet()) {
			Object bean = entry.getValue();
			Class<?> hubClass = ClassUtils.getUserClass(bean);
			Hub hub = AnnotatedElementUtils.findMergedAnnotation(hubClass, Hub.class);
			if (hub != null) {
				mapHub(hub, hubClass, bean, advices);
			}
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
			String path = path(mapping.value(), "@ConnectionMapping of bean '" + entry.getKey() + "'");
			this.paths.accept(new ConnectionRoute(path, entry.getKey(), handler, this.connectionOptions, bean));
			logger.info("Mapped SignalR connection handler " + entry.getKey() + " at " + path
					+ " (transports " + transports(this.connectionOptions) + ")");
		}
	}

	private void mapHub(Hub hub, Class<?> hubClass, Object bean, List<Object> advices) {
		String name = hub.name().isEmpty() ? hubClass.getSimpleName() : hub.name();
		String path = path(hub.value(), "@Hub of " + hubClass.getName());
		HubDescriptor descriptor = HubDescriptor.of(hubClass, this.argumentResolvers, this.methodValidator);
		HubLifetimeManager lifetime = this.lifetimeManagerFactory.create(name, hubClass);
		// a proxy (method security, transactions) is bypassed: authorization is checked per invocation here
		Object target = AopProxyUtils.getSingletonTarget(bean);
		List<HubProtocol> protocols = supportedProtocols(name);
		HubConnectionHandler handler = new HubConnectionHandler(name, (target != null) ? target : bean, descriptor,
				protocols, this.hubOptions.apply(name, hubClass), lifetime, this.userIdProvider, this.blocking);
		handler.setFilters(hubFilters(hub));
		handler.dispatcher().exceptionAdvice(advices);
		handler.setMetrics(this.metrics);
		if (this.authenticationExpiration != null) {
			handler.setAuthenticationExpiration(this.authenticationExpiration);
		}
		ConnectionOptions options = this.connectionOptions;
		if (hub.transports().length > 0) {
			Set<TransportType> transports = EnumSet.noneOf(TransportType.class);
			transports.addAll(Arrays.asList(hub.transports()));
			transports.retainAll(options.transports());
			options = options.withTransports(transports);
		}
		this.paths.accept(new ConnectionRoute(path, name, handler, options, bean));
		this.lifetimeManagers.put(hubClass, lifetime);
		this.handlers.add(handler);
		logger.info("Mapped SignalR hub " + name + " at " + path + " (" + descriptor.methods().size()
				+ " methods; transports " + transports(options) + "; protocols "
				+ protocols.stream().map(HubProtocol::name).collect(Collectors.joining(", ")) + ")");
	}

	/**
	 * A mapping's path with its leading slash ({@code news} is {@code /news}), as ASP.NET Core's routes
	 * take it.
	 * @throws IllegalStateException when it cannot be a path
	 */
	static String path(String path, String mapping) {
		if (path.isEmpty()) {
			throw new IllegalStateException(mapping + " gives no path: give the one clients connect to, such as \"/chat\".");
		}
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (!(Character.isLetterOrDigit(c) && c < 128) && "/-._~!$&'()+,;=:@".indexOf(c) < 0) {
				throw new IllegalStateException(mapping + " gives the path '" + path + "', which cannot be a path: '"
						+ c + "' is not allowed (no query, fragment, pattern, space or encoded character); give the "
						+ "plain path clients connect to, such as \"/chat\".");
			}
		}
		if (path.contains("//")) {
			throw new IllegalStateException(mapping + " gives the path '" + path + "', which cannot be a path: it has "
					+ "an empty segment; give the plain path clients connect to, such as \"/chat\".");
		}
		return path.startsWith("/") ? path : "/" + path;
	}

	/** The global filters, then the hub's own (beans of their type, else created for the hub). */
	private List<HubFilter> hubFilters(Hub hub) {
		if (hub.filters().length == 0) {
			return this.filters;
		}
		List<HubFilter> filters = new ArrayList<>(this.filters);
		for (Class<? extends HubFilter> type : hub.filters()) {
			HubFilter filter = this.context.getBeanProvider(type).getIfAvailable();
			filters.add((filter != null) ? filter : this.context.getAutowireCapableBeanFactory().createBean(type));
		}
		return filters;
	}

	/** The protocols a hub offers: those its names select, else all. */
	private List<HubProtocol> supportedProtocols(String hubName) {
		List<HubProtocol> available = this.protocols;
		List<String> names = this.supportedProtocols.apply(hubName);
		if (names.isEmpty()) {
			return available;
		}
		List<String> wanted = names.stream().map((name) -> name.toLowerCase(Locale.ROOT)).toList();
		List<HubProtocol> supported = available.stream()
			.filter((protocol) -> wanted.contains(protocol.name().toLowerCase(Locale.ROOT)))
			.toList();
		if (supported.isEmpty()) {
			throw new IllegalStateException("Hub " + hubName + " supports none of the protocols " + names
					+ "; available: " + available.stream().map(HubProtocol::name).toList());
		}
		return supported;
	}

	private static String transports(ConnectionOptions options) {
		return options.transports().stream().map(TransportType::wireName).collect(Collectors.joining(", "));
	}

	/**
	 * Settings of a {@link HubRuntime}; those not given keep the defaults of {@link HubOptions} and
	 * {@link ConnectionOptions}.
	 */
	public static final class Builder {

		private final ApplicationContext context;

		private final HubLifetimeManagerFactory lifetimeManagers;

		private final UserIdProvider userIdProvider;

		private final Scheduler blocking;

		private List<HubProtocol> protocols = List.of();

		private Function<String, List<String>> supportedProtocols = (hubName) -> List.of();

		private BiFunction<String, Class<?>, HubOptions> hubOptions = (name, type) -> HubOptions.defaults();

		private ConnectionOptions connectionOptions = ConnectionOptions.defaults();

		private List<HubFilter> filters = List.of();

		private SignalRMetrics metrics = SignalRMetrics.NOOP;

		private @Nullable Function<Principal, @Nullable Instant> authenticationExpiration;

		private Consumer<ConnectionRoute> paths = (endpoint) -> {
		};

		private List<HubMethodArgumentResolver> argumentResolvers = List.of();

		private @Nullable MethodValidator methodValidator;

		private Builder(ApplicationContext context, HubLifetimeManagerFactory lifetimeManagers,
				UserIdProvider userIdProvider, Scheduler blocking) {
			this.context = context;
			this.lifetimeManagers = lifetimeManagers;
			this.userIdProvider = userIdProvider;
			this.blocking = blocking;
		}

		/** The hub protocols clients may choose from, by name. */
		public Builder protocols(List<HubProtocol> protocols) {
			this.protocols = List.copyOf(protocols);
			return this;
		}

		/**
		 * The names of the protocols each hub offers, by hub name; an empty list offers every protocol.
		 * @throws IllegalStateException from the mapping when a hub's names select none of the protocols
		 */
		public Builder supportedProtocols(Function<String, List<String>> namesByHub) {
			this.supportedProtocols = namesByHub;
			return this;
		}

		/** The settings every hub runs with. */
		public Builder hubOptions(HubOptions hubOptions) {
			return hubOptions((name, type) -> hubOptions);
		}

		/** The settings of each hub, by its name and class (ASP.NET Core's {@code AddHubOptions<THub>}). */
		public Builder hubOptions(BiFunction<String, Class<?>, HubOptions> optionsByHub) {
			this.hubOptions = optionsByHub;
			return this;
		}

		/** The connection settings of every path; a hub's {@code @Hub(transports)} narrows its own. */
		public Builder connectionOptions(ConnectionOptions connectionOptions) {
			this.connectionOptions = connectionOptions;
			return this;
		}

		/** The filters of every hub, in order; a hub's {@code @Hub(filters)} come after them. */
		public Builder filters(List<HubFilter> filters) {
			this.filters = List.copyOf(filters);
			return this;
		}

		/** Where the hubs report the messages of their connections (no-op by default). */
		public Builder metrics(SignalRMetrics metrics) {
			this.metrics = metrics;
			return this;
		}

		/**
		 * Closes connections whose authentication expires, reading the expiry from the connection's
		 * principal; connections stay open until they close by default.
		 */
		public Builder authenticationExpiration(Function<Principal, @Nullable Instant> expiration) {
			this.authenticationExpiration = expiration;
			return this;
		}

		/** Where each hub and connection handler is mapped at its path (a web stack's registry). */
		public Builder paths(Consumer<ConnectionRoute> paths) {
			this.paths = paths;
			return this;
		}

		/** Suppliers of hub method parameters that clients do not send, asked in order. */
		public Builder argumentResolvers(List<HubMethodArgumentResolver> argumentResolvers) {
			this.argumentResolvers = List.copyOf(argumentResolvers);
			return this;
		}

		/** Validates the arguments of hub methods that ask for Bean Validation; none by default. */
		public Builder methodValidator(MethodValidator methodValidator) {
			this.methodValidator = methodValidator;
			return this;
		}

		/** The runtime; it maps the hubs once every singleton exists. */
		public HubRuntime build() {
			return new HubRuntime(this);
		}

	}

}
