package io.github.springsignalr.hub;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.validation.method.MethodValidator;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.HubMethodArgumentResolver;
import io.github.springsignalr.HubMethodName;
import io.github.springsignalr.Progress;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.InvalidDataException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One method of a hub class, described once at startup: how each parameter is supplied (bound from
 * the client's arguments or supplied by the framework), and how the result is produced.
 */
public final class HubMethod {

	/** Where a parameter's value comes from. */
	enum Source {
		ARGUMENT, STREAM, CONTEXT, CLIENTS, GROUPS, PRINCIPAL, THROWABLE, PROGRESS, STATE, RESOLVED
	}

	/** How a method produces its result. */
	enum ResultKind {
		/** A plain value or {@code void}: the method may block and runs off the event loop. */
		BLOCKING,
		/** A {@code Mono} or {@code CompletionStage}: the method is called on the event loop. */
		ASYNC,
		/** A {@code Flux} or other {@code Publisher}: a streaming method. */
		STREAM
	}

	private static final String BINDING_ERROR = "Error binding arguments. Make sure that the types of the provided"
			+ " values match the types of the hub method being invoked.";

	private final String name;

	private final Method method;

	private final Source[] sources;

	/** The application's resolver of each {@link Source#RESOLVED} parameter, and the parameter it is given. */
	private final HubParameters.Supplied[] supplied;

	/** The Bean Validation of the arguments, when the method asks for it. */
	private final @Nullable ArgumentValidation validation;

	private final Type[] argumentTypes;

	/** Item types of the client-to-server stream parameters, in order. */
	private final Type[] streamItemTypes;

	/** Arguments a client must send; trailing {@code Optional} or {@code @Nullable} ones may be left out. */
	private final int requiredArguments;

	/** For each client-supplied value (argument or stream) in declaration order: whether it is a stream. */
	private final boolean[] streamSlots;

	private final ResultKind resultKind;

	/** Whether the method takes a {@link Progress} or a {@link CallerState}. */
	private final boolean takesInvocationValues;

	/** The method as {@code (Object bean, Object[] values) -> Object}, bound once instead of reflection per call. */
	private final MethodHandle handle;

	HubMethod(String name, Method method) {
		this(name, method, List.of(), null);
	}

	/**
	 * @param resolvers the application's suppliers of parameters, asked first
	 * @param validator validates the arguments of methods that ask for it, if given
	 * @throws IllegalStateException when a parameter is neither sent by clients nor supplied
	 */
	HubMethod(String name, Method method, List<HubMethodArgumentResolver> resolvers,
			@Nullable MethodValidator validator) {
		this.name = name;
		this.method = method;
		Parameter[] parameters = method.getParameters();
		this.sources = new Source[parameters.length];
		this.supplied = new HubParameters.Supplied[parameters.length];
		this.validation = ArgumentValidation.of(validator, method);
		List<Type> argumentTypes = new ArrayList<>();
		List<Type> streamTypes = new ArrayList<>();
		List<Boolean> slots = new ArrayList<>();
		for (int i = 0; i < parameters.length; i++) {
			this.supplied[i] = HubParameters.of(method, i, resolvers);
			this.sources[i] = this.supplied[i].source();
			if (this.sources[i] == Source.ARGUMENT) {
				argumentTypes.add(parameters[i].getParameterizedType());
				slots.add(false);
			}
			else if (this.sources[i] == Source.STREAM) {
				streamTypes.add(ResolvableType.forMethodParameter(method, i).getGeneric(0).getType());
				slots.add(true);
			}
		}
		this.argumentTypes = argumentTypes.toArray(new Type[0]);
		this.takesInvocationValues = Arrays.asList(this.sources).contains(Source.PROGRESS)
				|| Arrays.asList(this.sources).contains(Source.STATE);
		int required = 0;
		int argumentIndex = 0;
		for (int i = 0; i < parameters.length; i++) {
			if (this.sources[i] == Source.ARGUMENT) {
				argumentIndex++;
				if (!isOptional(parameters[i])) {
					required = argumentIndex;
				}
			}
		}
		this.requiredArguments = required;
		this.streamItemTypes = streamTypes.toArray(new Type[0]);
		this.streamSlots = new boolean[slots.size()];
		for (int i = 0; i < this.streamSlots.length; i++) {
			this.streamSlots[i] = slots.get(i);
		}
		Class<?> returnType = method.getReturnType();
		if (Mono.class.isAssignableFrom(returnType) || CompletionStage.class.isAssignableFrom(returnType)) {
			this.resultKind = ResultKind.ASYNC;
		}
		else if (Publisher.class.isAssignableFrom(returnType)) {
			this.resultKind = ResultKind.STREAM;
		}
		else {
			this.resultKind = ResultKind.BLOCKING;
		}
		method.setAccessible(true);
		this.handle = spreadHandle(method);
	}

	private static MethodHandle spreadHandle(Method method) {
		MethodHandle handle;
		try {
			handle = MethodHandles.lookup().unreflect(method);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call hub method " + method, ex);
		}
		int count = method.getParameterCount();
		if (Modifier.isStatic(method.getModifiers())) {
			handle = MethodHandles.dropArguments(handle, 0, Object.class);
		}
		return handle.asType(MethodType.genericMethodType(count + 1)).asSpreader(Object[].class, count);
	}

	/** A parameter a client may leave out when it is trailing: an {@code Optional} or {@code @Nullable}. */
	private static boolean isOptional(Parameter parameter) {
		if (parameter.getType() == Optional.class) {
			return true;
		}
		for (java.lang.annotation.Annotation annotation : parameter.getAnnotatedType().getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		for (java.lang.annotation.Annotation annotation : parameter.getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

	/** The name clients call this method by. */
	public String name() {
		return this.name;
	}

	public Method method() {
		return this.method;
	}

	boolean isStreaming() {
		return this.resultKind == ResultKind.STREAM;
	}

	/** Number of arguments a client must send. */
	int argumentCount() {
		return this.argumentTypes.length;
	}

	/** Item types of the streams a client must send. */
	Type[] streamItemTypes() {
		return this.streamItemTypes;
	}

	/**
	 * Binds a client's arguments to the parameters.
	 * @throws InvalidDataException when the count or a type does not match
	 */
	Object[] bind(List<@Nullable Object> arguments, HubProtocol protocol) {
		if (arguments.size() < this.requiredArguments || arguments.size() > this.argumentTypes.length) {
			throw new InvalidDataException("Invocation provides " + arguments.size() + " argument(s) but target expects "
					+ this.argumentTypes.length + ".");
		}
		// the invocation's progress and state go after the client's values
		Object[] bound = new Object[this.streamSlots.length + (this.takesInvocationValues ? 1 : 0)];
		int argument = 0;
		for (int slot = 0; slot < this.streamSlots.length; slot++) {
			if (this.streamSlots[slot]) {
				continue;
			}
			Type type = this.argumentTypes[argument];
			if (argument >= arguments.size()) {
				// a trailing optional argument the client left out
				bound[slot] = (ResolvableType.forType(type).resolve() == Optional.class)
						? Optional.empty() : null;
				argument++;
				continue;
			}
			try {
				bound[slot] = protocol.bind(arguments.get(argument), type);
			}
			catch (RuntimeException ex) {
				throw new InvalidDataException(BINDING_ERROR, ex);
			}
			if (bound[slot] == null && type instanceof Class<?> plain && plain.isPrimitive()) {
				throw new InvalidDataException(BINDING_ERROR);
			}
			argument++;
		}
		return bound;
	}

	/** Puts the client's streams into the stream slots of bound values, in order. */
	void attachStreams(Object[] bound, List<? extends Flux<?>> streams) {
		int stream = 0;
		for (int slot = 0; slot < this.streamSlots.length; slot++) {
			if (this.streamSlots[slot]) {
				bound[slot] = streams.get(stream++);
			}
		}
	}

	/** Whether the method takes a {@link Progress} or a {@link CallerState}. */
	boolean takesInvocationValues() {
		return this.takesInvocationValues;
	}

	/** Puts the invocation's progress and state into bound values. */
	void attachInvocationValues(Object[] bound, InvocationValues values) {
		bound[bound.length - 1] = values;
	}

	/**
	 * Calls the method: on the event loop when it returns a {@code Mono}, a {@code CompletionStage} or a
	 * {@code Publisher}, on {@code blocking} otherwise.
	 * @return the result (empty for {@code void} and {@code null}), or the method's exception
	 */
	Mono<Object> invoke(Object bean, Object[] arguments, HubConnectionContext context, @Nullable Throwable cause,
			Scheduler blocking) {
		if (this.resultKind == ResultKind.BLOCKING) {
			return Mono.fromCallable(() -> call(bean, arguments, context, cause)).subscribeOn(blocking);
		}
		return Mono.defer(() -> callAsync(bean, arguments, context, cause));
	}

	/**
	 * As {@link #invoke}, but a method that does not block is called now rather than on subscription
	 * (for callers that subscribe at once and have no filter between them and the method).
	 */
	Mono<Object> invokeNow(Object bean, Object[] arguments, HubConnectionContext context, Scheduler blocking) {
		if (this.resultKind == ResultKind.BLOCKING) {
			return invoke(bean, arguments, context, null, blocking);
		}
		return callAsync(bean, arguments, context, null);
	}

	@SuppressWarnings("unchecked")
	private Mono<Object> callAsync(Object bean, Object[] arguments, HubConnectionContext context,
			@Nullable Throwable cause) {
		Object result;
		try {
			result = call(bean, arguments, context, cause);
		}
		catch (Exception ex) {
			return Mono.error(ex);
		}
		if (result instanceof Mono<?> mono) {
			// only read, never written: no cast operator needed
			return (Mono<Object>) mono;
		}
		if (result instanceof CompletionStage<?> stage) {
			return Mono.fromCompletionStage(stage).cast(Object.class)
				.onErrorMap(CompletionException.class, (ex) -> (ex.getCause() != null) ? ex.getCause() : ex);
		}
		return Mono.justOrEmpty(result);
	}

	/**
	 * Calls a streaming method; an exception thrown by the call itself (not by the stream) propagates.
	 */
	Flux<Object> stream(Object bean, Object[] arguments, HubConnectionContext context) throws Exception {
		Object result = call(bean, arguments, context, null);
		if (result == null) {
			return Flux.empty();
		}
		return Flux.from((Publisher<?>) result).cast(Object.class);
	}

	private @Nullable Object call(Object bean, Object[] arguments, HubConnectionContext context,
			@Nullable Throwable cause) throws Exception {
		Object[] values = new Object[this.sources.length];
		int argument = 0;
		for (int i = 0; i < values.length; i++) {
			values[i] = switch (this.sources[i]) {
				case ARGUMENT, STREAM -> arguments[argument++];
				case CONTEXT -> context;
				case CLIENTS -> context.clients();
				case GROUPS -> context.groups();
				case PRINCIPAL -> principal(i, context);
				case RESOLVED -> resolve(i, context);
				case THROWABLE -> cause;
				case PROGRESS -> ((InvocationValues) arguments[arguments.length - 1]).progress();
				case STATE -> ((InvocationValues) arguments[arguments.length - 1]).state();
			};
		}
		if (this.validation != null) {
			this.validation.validate(bean, this.method, values);
		}
		try {
			return (Object) this.handle.invokeExact(bean, values);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	/** The caller's principal, or {@code null} when it is not of the parameter's type (or anonymous). */
	private @Nullable Object principal(int index, HubConnectionContext context) {
		Principal user = context.user();
		return this.method.getParameterTypes()[index].isInstance(user) ? user : null;
	}

	private @Nullable Object resolve(int index, HubConnectionContext context) {
		HubParameters.Supplied supplied = this.supplied[index];
		return supplied.resolver().resolveArgument(supplied.parameter(), context);
	}

	/** Whether clients call this method by a name given with {@code @HubMethodName}. */
	public boolean hasExplicitName() {
		return AnnotatedElementUtils.hasAnnotation(this.method, HubMethodName.class);
	}

	/**
	 * Names of the parameters a client sends as arguments, in order (framework-supplied ones left out):
	 * as compiled with {@code -parameters}, read from the class file when an agent that rewrote the loaded
	 * class dropped them, else {@code arg0}, {@code arg1}...
	 */
	public List<String> argumentNames() {
		List<String> all = HubParameters.names(this.method);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			if (this.sources[i] == Source.ARGUMENT) {
				names.add(all.get(i));
			}
		}
		return List.copyOf(names);
	}
}
