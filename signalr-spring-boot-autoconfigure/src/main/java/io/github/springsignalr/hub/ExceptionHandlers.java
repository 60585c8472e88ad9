package io.github.springsignalr.hub;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.HubExceptionHandler;

/**
 * The {@link HubExceptionHandler} methods that apply to one hub: its own, then those of the
 * {@link io.github.springsignalr.HubAdvice} beans. Each is checked at startup; the handler for an
 * exception type is chosen once and remembered.
 */
final class ExceptionHandlers {

	static final ExceptionHandlers NONE = new ExceptionHandlers(List.of());

	/** Handlers by precedence: the hub's own first, then each advice's. */
	private final List<List<Handler>> scopes;

	private final Map<Class<?>, Handler> chosen = new ConcurrentHashMap<>();

	private ExceptionHandlers(List<List<Handler>> scopes) {
		this.scopes = scopes;
	}

	/**
	 * The handlers of {@code hub} and of the advice beans.
	 * @throws IllegalStateException when a handler method cannot be called with an exception
	 */
	static ExceptionHandlers of(Object hub, List<Object> advices) {
		List<List<Handler>> scopes = new ArrayList<>();
		List<Handler> own = handlers(hub);
		if (!own.isEmpty()) {
			scopes.add(own);
		}
		for (Object advice : advices) {
			List<Handler> handlers = handlers(advice);
			if (!handlers.isEmpty()) {
				scopes.add(handlers);
			}
		}
		return scopes.isEmpty() ? NONE : new ExceptionHandlers(List.copyOf(scopes));
	}

	/** Whether a method is a handler, not a hub method. */
	static boolean isHandler(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, HubExceptionHandler.class);
	}

	private static List<Handler> handlers(Object bean) {
		Class<?> type = ClassUtils.getUserClass(bean);
		List<Handler> handlers = new ArrayList<>();
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
			HubExceptionHandler annotation = AnnotatedElementUtils.findMergedAnnotation(method, HubExceptionHandler.class);
			if (annotation != null) {
				handlers.add(Handler.of(bean, method, annotation));
			}
		}
		return handlers;
	}

	/**
	 * What the client is failed with instead of {@code error}, or {@code null} when no handler applies.
	 */
	@Nullable Throwable handle(Throwable error, HubCallerContext caller) {
		if (this.scopes.isEmpty() || error instanceof io.github.springsignalr.UnauthorizedInvocationException) {
			return null;
		}
		Handler handler = this.chosen.computeIfAbsent(error.getClass(), (type) -> find(error.getClass()));
		if (handler == Handler.NONE) {
			return null;
		}
		return handler.handle(error, caller);
	}

	private Handler find(Class<? extends Throwable> errorType) {
		for (List<Handler> scope : this.scopes) {
			Handler best = null;
			Class<? extends Throwable> bestType = null;
			for (Handler handler : scope) {
				for (Class<? extends Throwable> type : handler.types) {
					if (type.isAssignableFrom(errorType) && (bestType == null
							|| new ExceptionDepthComparator(errorType).compare(type, bestType) < 0)) {
						best = handler;
						bestType = type;
					}
				}
			}
			if (best != null) {
				return best;
			}
		}
		return Handler.NONE;
	}

	/** One handler method on its bean. */
	private static final class Handler {

		static final Handler NONE = new Handler(new Object(), ReflectionUtils.findMethod(Object.class, "toString"),
				List.of(), -1, -1);

		private final Object bean;

		private final Method method;

		private final List<Class<? extends Throwable>> types;

		private final int errorIndex;

		private final int callerIndex;

		private Handler(Object bean, Method method, List<Class<? extends Throwable>> types, int errorIndex,
				int callerIndex) {
			this.bean = bean;
			this.method = method;
			this.types = types;
			this.errorIndex = errorIndex;
			this.callerIndex = callerIndex;
		}

		@SuppressWarnings("unchecked")
		static Handler of(Object bean, Method method, HubExceptionHandler annotation) {
			int errorIndex = -1;
			int callerIndex = -1;
			Class<?>[] parameters = method.getParameterTypes();
			for (int i = 0; i < parameters.length; i++) {
				if (Throwable.class.isAssignableFrom(parameters[i]) && errorIndex < 0) {
					errorIndex = i;
				}
				else if (parameters[i] == HubCallerContext.class) {
					callerIndex = i;
				}
				else {
					throw invalid(method, "takes a " + parameters[i].getSimpleName()
							+ "; it may take the exception and a HubCallerContext");
				}
			}
			List<Class<? extends Throwable>> types = new ArrayList<>(Arrays.asList(annotation.value()));
			if (types.isEmpty()) {
				if (errorIndex < 0) {
					throw invalid(method, "names no exception: take one as a parameter or list them in "
							+ "@HubExceptionHandler(...)");
				}
				types.add((Class<? extends Throwable>) parameters[errorIndex]);
			}
			else if (errorIndex >= 0) {
				for (Class<? extends Throwable> type : types) {
					if (!parameters[errorIndex].isAssignableFrom(type)) {
						throw invalid(method, "handles " + type.getSimpleName() + " but its parameter takes a "
								+ parameters[errorIndex].getSimpleName());
					}
				}
			}
			Class<?> result = method.getReturnType();
			if (result != String.class && !Throwable.class.isAssignableFrom(result)) {
				throw invalid(method, "returns " + result.getSimpleName()
						+ "; return the client's error text (a String) or the exception to fail the invocation with");
			}
			ReflectionUtils.makeAccessible(method);
			return new Handler(bean, method, List.copyOf(types), errorIndex, callerIndex);
		}

		private static IllegalStateException invalid(Method method, String why) {
			return new IllegalStateException("@HubExceptionHandler method '" + method.getName() + "' of "
					+ ClassUtils.getUserClass(method.getDeclaringClass()).getName() + " " + why + ".");
		}

		Throwable handle(Throwable error, HubCallerContext caller) {
			Object[] arguments = new Object[this.method.getParameterCount()];
			if (this.errorIndex >= 0) {
				arguments[this.errorIndex] = error;
			}
			if (this.callerIndex >= 0) {
				arguments[this.callerIndex] = caller;
			}
			Object result;
			try {
				result = this.method.invoke(this.bean, arguments);
			}
			catch (InvocationTargetException ex) {
				return ex.getTargetException();
			}
			catch (IllegalAccessException ex) {
				return new IllegalStateException("Cannot call " + this.method, ex);
			}
			if (result instanceof Throwable replacement) {
				return replacement;
			}
			return new HubException((result != null) ? result.toString() : "", error);
		}

	}

}
