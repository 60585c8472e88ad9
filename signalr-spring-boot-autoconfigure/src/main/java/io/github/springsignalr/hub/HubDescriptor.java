package io.github.springsignalr.hub;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.method.MethodValidator;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubMethodArgumentResolver;
import io.github.springsignalr.HubMethodName;
import io.github.springsignalr.OnAuthenticationRefreshed;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.OnReconnected;

/**
 * The callable methods of a hub class, found once at startup and looked up case-insensitively as
 * ASP.NET Core does. Public methods are hub methods, except those of {@code Object}, of Java and Spring
 * interfaces (lifecycle callbacks) and the {@link OnConnected} / {@link OnDisconnected} /
 * {@link OnReconnected} callbacks.
 */
public final class HubDescriptor {

	private final Class<?> hubClass;

	private final Map<String, HubMethod> methods;

	private final @Nullable HubMethod onConnected;

	private final @Nullable HubMethod onDisconnected;

	private final @Nullable HubMethod onReconnected;

	private final @Nullable HubMethod onAuthenticationRefreshed;

	private HubDescriptor(Class<?> hubClass, Map<String, HubMethod> methods, @Nullable HubMethod onConnected,
			@Nullable HubMethod onDisconnected, @Nullable HubMethod onReconnected,
			@Nullable HubMethod onAuthenticationRefreshed) {
		this.hubClass = hubClass;
		this.methods = methods;
		this.onConnected = onConnected;
		this.onDisconnected = onDisconnected;
		this.onReconnected = onReconnected;
		this.onAuthenticationRefreshed = onAuthenticationRefreshed;
	}

	/**
	 * Describes a hub class whose methods take only what clients send and SignalR supplies.
	 * @throws IllegalStateException when two methods have the same name (overloading is not supported),
	 * or a parameter is neither sent by clients nor supplied
	 */
	public static HubDescriptor of(Class<?> beanClass) {
		return of(beanClass, List.of(), null);
	}

	/**
	 * Describes a hub class.
	 * @param resolvers the application's suppliers of parameters
	 * @param validator validates the arguments of the methods that ask for Bean Validation, if given
	 * @throws IllegalStateException when two methods have the same name (overloading is not supported),
	 * or a parameter is neither sent by clients nor supplied
	 */
	public static HubDescriptor of(Class<?> beanClass, List<HubMethodArgumentResolver> resolvers,
			@Nullable MethodValidator validator) {
		Class<?> hubClass = ClassUtils.getUserClass(beanClass);
		Map<String, HubMethod> methods = new HashMap<>();
		HubMethod onConnected = null;
		HubMethod onDisconnected = null;
		HubMethod onReconnected = null;
		HubMethod onAuthenticationRefreshed = null;
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(hubClass, ReflectionUtils.USER_DECLARED_METHODS)) {
			int modifiers = method.getModifiers();
			if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isBridge()
					|| method.isSynthetic() || isFrameworkMethod(method) || ExceptionHandlers.isHandler(method)) {
				continue;
			}
			if (AnnotatedElementUtils.hasAnnotation(method, OnConnected.class)) {
				onConnected = new HubMethod(method.getName(), method, resolvers, validator);
				continue;
			}
			if (AnnotatedElementUtils.hasAnnotation(method, OnReconnected.class)) {
				onReconnected = new HubMethod(method.getName(), method, resolvers, validator);
				continue;
			}
			if (AnnotatedElementUtils.hasAnnotation(method, OnAuthenticationRefreshed.class)) {
				onAuthenticationRefreshed = new HubMethod(method.getName(), method);
				continue;
			}
			if (AnnotatedElementUtils.hasAnnotation(method, OnDisconnected.class)) {
				onDisconnected = new HubMethod(method.getName(), method, resolvers, validator);
				continue;
			}
			HubMethodName rename = AnnotatedElementUtils.findMergedAnnotation(method, HubMethodName.class);
			String name = (rename != null) ? rename.value() : method.getName();
			HubMethod previous = methods.put(key(name), new HubMethod(name, method, resolvers, validator));
			if (previous != null) {
				throw new IllegalStateException("Duplicate definitions of '" + name + "' in hub "
						+ hubClass.getName() + ". Overloading is not supported.");
			}
		}
		return new HubDescriptor(hubClass, Map.copyOf(methods), onConnected, onDisconnected, onReconnected,
				onAuthenticationRefreshed);
	}

	private static boolean isFrameworkMethod(Method method) {
		if (ReflectionUtils.findMethod(Object.class, method.getName(), method.getParameterTypes()) != null) {
			// overrides such as toString() are not hub methods, as in the reference
			return true;
		}
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(method.getDeclaringClass())) {
			String packageName = type.getPackageName();
			if ((packageName.startsWith("java.") || packageName.startsWith("org.springframework."))
					&& ReflectionUtils.findMethod(type, method.getName(), method.getParameterTypes()) != null) {
				return true;
			}
		}
		return false;
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	public Class<?> hubClass() {
		return this.hubClass;
	}

	/** The method clients call by this name, ignoring case. */
	public @Nullable HubMethod find(String name) {
		return this.methods.get(key(name));
	}

	/** All callable methods by lower-case name. */
	public Map<String, HubMethod> methods() {
		return this.methods;
	}

	@Nullable HubMethod onConnected() {
		return this.onConnected;
	}

	@Nullable HubMethod onDisconnected() {
		return this.onDisconnected;
	}

	@Nullable HubMethod onReconnected() {
		return this.onReconnected;
	}

	@Nullable HubMethod onAuthenticationRefreshed() {
		return this.onAuthenticationRefreshed;
	}

	/**
	 * The name given by {@code @Hub(name = ...)}, or {@code null} when the hub goes by its class's simple
	 * name (the legacy proxy script writes an explicit name verbatim and camel-cases the simple name).
	 */
	public @Nullable String explicitName() {
		Hub hub = AnnotatedElementUtils.findMergedAnnotation(this.hubClass, Hub.class);
		return (hub != null && !hub.name().isEmpty()) ? hub.name() : null;
	}
}
