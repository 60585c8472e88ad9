package io.github.springsignalr;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;

import reactor.core.publisher.Mono;

/** Implements a user's client interface over a {@link ClientProxy}. */
final class TypedClientProxies {

	private TypedClientProxies() {
	}

	static <T> T create(ClientProxy target, Class<T> clientInterface) {
		if (!clientInterface.isInterface()) {
			throw new IllegalArgumentException(clientInterface.getName() + " is not an interface");
		}
		Object proxy = Proxy.newProxyInstance(clientInterface.getClassLoader(), new Class<?>[] { clientInterface },
				(instance, method, arguments) -> {
					if (method.getDeclaringClass() == Object.class) {
						return objectMethod(instance, method, arguments, clientInterface);
					}
					Object[] values = (arguments != null) ? arguments : new Object[0];
					Class<?> resultType = resultType(method);
					Mono<?> result = (resultType != null && target instanceof SingleClientProxy single)
							? single.invoke(name(method), resultType, values) : target.send(name(method), values);
					if (method.getReturnType() == void.class) {
						return null;
					}
					return result;
				});
		return clientInterface.cast(proxy);
	}

	private static @Nullable Object objectMethod(Object instance, Method method, @Nullable Object[] arguments,
			Class<?> clientInterface) {
		return switch (method.getName()) {
			case "equals" -> arguments != null && instance == arguments[0];
			case "hashCode" -> System.identityHashCode(instance);
			default -> "client proxy for " + clientInterface.getName();
		};
	}

	private static String name(Method method) {
		HubMethodName rename = AnnotatedElementUtils.findMergedAnnotation(method, HubMethodName.class);
		return (rename != null) ? rename.value() : method.getName();
	}

	/** The result class of a method returning {@code Mono<T>} with {@code T} other than {@code Void}. */
	private static @Nullable Class<?> resultType(Method method) {
		if (method.getReturnType() != Mono.class
				|| !(method.getGenericReturnType() instanceof ParameterizedType returnType)) {
			return null;
		}
		Type result = returnType.getActualTypeArguments()[0];
		Class<?> raw = (result instanceof Class<?> plain) ? plain
				: (result instanceof ParameterizedType parameterized) ? (Class<?>) parameterized.getRawType() : null;
		return (raw == null || raw == Void.class) ? null : raw;
	}
}
