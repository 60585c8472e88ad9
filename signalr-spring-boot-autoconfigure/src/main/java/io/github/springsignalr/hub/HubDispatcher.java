package io.github.springsignalr.hub;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import io.github.springsignalr.HubException;
import io.github.springsignalr.HubFilter;
import io.github.springsignalr.HubInvocationContext;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.InvalidDataException;

/**
 * Runs what clients ask of one hub, whatever wire protocol they speak: invocations, server-to-client
 * streams, client-to-server stream items, cancellations, client results, and the hub's OnConnected and
 * OnDisconnected. Built once per hub; its filter pipeline is composed once, when the filters are set.
 *
 * <p>A wire protocol reaches the hub through it by giving each connection a {@link HubConnectionContext}
 * (whose {@link HubProtocol} binds arguments and writes what the dispatcher sends) and calling
 * {@link #invoke}, {@link #stream}, {@link #cancel}, {@link #streamItem} and {@link #completion} with
 * protocol-neutral messages: a target, arguments as the protocol read them (bound here to the method's
 * parameter types), an invocation id when the client wants a result, and stream ids.
 */
public final class HubDispatcher {

	private final String hubName;

	private final Object hub;

	private final HubDescriptor descriptor;

	private final HubOptions options;

	private final Scheduler blocking;

	/** Invocations (not streams) started and not yet ended, on every connection. */
	private final AtomicInteger running = new AtomicInteger();

	/** The hub's methods by their Java method, for the end of the filter pipeline. */
	private final Map<Method, HubMethod> methods = new IdentityHashMap<>();

	/** The filters, then the method; {@code null} without filters (the method is called directly). */
	private HubFilter.@Nullable InvocationChain invocations;

	private HubFilter.LifecycleChain connected;

	/** The hub's {@code @HubExceptionHandler} methods, then those of the advice beans. */
	private ExceptionHandlers exceptionHandlers;

	private HubFilter.LifecycleChain disconnected;

	/**
	 * @param blocking where methods that may block run
	 */
	public HubDispatcher(String hubName, Object hub, HubDescriptor descriptor, HubOptions options,
			Scheduler blocking) {
		this.hubName = hubName;
		this.hub = hub;
		this.descriptor = descriptor;
		this.options = options;
		this.blocking = blocking;
		for (HubMethod method : descriptor.methods().values()) {
			this.methods.put(method.method(), method);
		}
		this.exceptionHandlers = ExceptionHandlers.of(hub, List.of());
		filters(List.of());
	}

	/**
	 * Sets the beans whose {@link io.github.springsignalr.HubExceptionHandler} methods apply to this hub
	 * after its own ({@link io.github.springsignalr.HubAdvice} beans), in order.
	 * @throws IllegalStateException when a handler method cannot be called with an exception
	 */
	public void exceptionAdvice(List<Object> advices) {
		this.exceptionHandlers = ExceptionHandlers.of(this.hub, advices);
	}

	/**
	 * Sets the filters every invocation and connection event of this hub goes through, in order, and
	 * composes the pipeline once.
	 */
	public void filters(List<HubFilter> filters) {
		List<HubFilter> ordered = List.copyOf(filters);
		HubFilter.InvocationChain chain = (invocation) -> {
			HubMethod method = this.methods.get(invocation.method());
			if (method == null) {
				return Mono.error(new HubException("Method does not exist."));
			}
			if (!(invocation.context() instanceof HubConnectionContext context)) {
				return Mono.error(new IllegalStateException("A hub filter passed on a caller context of its own ("
						+ invocation.context().getClass().getName() + "); pass on the one it was given"));
			}
			return method.invoke(this.hub, invocation.arguments().toArray(), context, null, this.blocking);
		};
		HubFilter.LifecycleChain onConnected = callback(this.descriptor.onConnected());
		HubFilter.LifecycleChain onDisconnected = callback(this.descriptor.onDisconnected());
		for (int i = ordered.size() - 1; i >= 0; i--) {
			HubFilter filter = ordered.get(i);
			HubFilter.InvocationChain next = chain;
			chain = (invocation) -> Mono.defer(() -> filter.invoke(invocation, next));
			HubFilter.LifecycleChain nextConnected = onConnected;
			onConnected = (context, cause) -> Mono.defer(() -> filter.onConnected(context, nextConnected));
			HubFilter.LifecycleChain nextDisconnected = onDisconnected;
			onDisconnected = (context, cause) -> Mono.defer(() -> filter.onDisconnected(context, cause,
					nextDisconnected));
		}
		this.invocations = ordered.isEmpty() ? null : chain;
		this.connected = onConnected;
		this.disconnected = onDisconnected;
	}

	private HubFilter.LifecycleChain callback(@Nullable HubMethod callback) {
		if (callback == null) {
			return (context, cause) -> Mono.empty();
		}
		return (context, cause) -> callback
			.invoke(this.hub, new Object[0], (HubConnectionContext) context, cause, this.blocking)
			.then();
	}

	public String hubName() {
		return this.hubName;
	}

	public HubOptions options() {
		return this.options;
	}

	/**
	 * How many invocations of this hub's methods are running (streams not counted); a graceful shutdown
	 * waits for them.
	 */
	public int runningInvocations() {
		return this.running.get();
	}

	/** Runs the hub's OnConnected (through the filters). */
	public Mono<Void> onConnected(HubConnectionContext context) {
		return this.connected.next(context, null);
	}

	/** Runs the hub's {@link io.github.springsignalr.OnReconnected} callback, if it has one (no filters). */
	public Mono<Void> onReconnected(HubConnectionContext context) {
		HubMethod callback = this.descriptor.onReconnected();
		return (callback != null) ? callback.invoke(this.hub, new Object[0], context, null, this.blocking).then()
				: Mono.empty();
	}

	/**
	 * Runs the hub's {@link io.github.springsignalr.OnAuthenticationRefreshed} callback, if it has one
	 * (no filters).
	 */
	public Mono<Void> onAuthenticationRefreshed(HubConnectionContext context) {
		HubMethod callback = this.descriptor.onAuthenticationRefreshed();
		return (callback != null) ? callback.invoke(this.hub, new Object[0], context, null, this.blocking).then()
				: Mono.empty();
	}

	/** Runs the hub's OnDisconnected (through the filters) with the cause of the end, if any. */
	public Mono<Void> onDisconnected(HubConnectionContext context, @Nullable Throwable cause) {
		return this.disconnected.next(context, cause);
	}

	/**
	 * Dispatches one message of the ASP.NET Core hub protocol that concerns the hub (invocations,
	 * streams, cancellations, client stream items and completions); others are ignored here.
	 */
	public Mono<Void> dispatch(HubConnectionContext context, HubMessage message) {
		if (message instanceof HubMessage.Invocation invocation) {
			return invoke(context, invocation);
		}
		if (message instanceof HubMessage.StreamInvocation invocation) {
			return stream(context, invocation);
		}
		if (message instanceof HubMessage.CancelInvocation cancel) {
			cancel(context, cancel.invocationId());
		}
		else if (message instanceof HubMessage.Completion completion) {
			completion(context, completion);
		}
		else if (message instanceof HubMessage.StreamItem item) {
			return streamItem(context, item);
		}
		return Mono.empty();
	}

	/**
	 * Invokes a hub method; its Completion (or error) goes to the client when the invocation has an id.
	 * Waits while the connection has its maximum of invocations running.
	 */
	public Mono<Void> invoke(HubConnectionContext context, HubMessage.Invocation invocation) {
		String id = invocation.invocationId();
		HubLog.receivedHubInvocation(invocation);
		HubMethod method = this.descriptor.find(invocation.target());
		if (method == null) {
			HubLog.unknownHubMethod(invocation.target());
			context.sendError(id, invocation.target(), null, "Failed to invoke '" + invocation.target()
					+ "' due to an error on the server. HubException: Method does not exist.");
			return Mono.empty();
		}
		Object[] arguments = bind(context, method, invocation.target(), id, invocation.arguments());
		if (arguments == null) {
			return Mono.empty();
		}
		if (method.isStreaming()) {
			HubLog.streamingMethodCalledWithInvoke(invocation);
			context.sendError(id, invocation.target(), null, "The client attempted to invoke the streaming '"
					+ invocation.target()
					+ "' method with a non-streaming invocation.");
			return Mono.empty();
		}
		if (!openClientStreams(context, method, invocation.target(), id, invocation.streamIds(), arguments)) {
			return Mono.empty();
		}
		if (method.takesInvocationValues()) {
			method.attachInvocationValues(arguments, InvocationValues.of(context, id));
		}
		if (!invocation.streamIds().isEmpty()) {
			// invocations fed by client streams do not count against the parallel-invocation limit
			run(context, method, invocation.target(), id, invocation.headers(), arguments, null);
			return Mono.empty();
		}
		InvocationLimiter limiter = context.limiter();
		if (limiter.tryAcquire()) {
			if (context.isClosing()) {
				limiter.release();
			}
			else {
				run(context, method, invocation.target(), id, invocation.headers(), arguments, limiter);
			}
			return Mono.empty();
		}
		return limiter.acquire().then(Mono.fromRunnable(() -> {
			if (context.isClosing()) {
				limiter.release();
				return;
			}
			run(context, method, invocation.target(), id, invocation.headers(), arguments, limiter);
		}));
	}

	private Object @Nullable [] bind(HubConnectionContext context, HubMethod method, String target,
			@Nullable String id, List<@Nullable Object> arguments) {
		try {
			return method.bind(arguments, protocol(context));
		}
		catch (InvalidDataException ex) {
			HubLog.invalidHubParameters(target, ex);
			context.sendError(id, target, ex,
					context.errorMessage("Failed to invoke '" + target + "' due to an error on the server.", ex));
			return null;
		}
	}

	private void run(HubConnectionContext context, HubMethod method, String target, @Nullable String id,
			Map<String, String> headers, Object[] arguments, @Nullable InvocationLimiter limiter) {
		this.running.incrementAndGet();
		InvocationCompletion completion = new InvocationCompletion(context, target, id, limiter, this.running,
				this.exceptionHandlers);
		Mono<Object> result;
		try {
			HubFilter.InvocationChain chain = this.invocations;
			result = (chain != null) ? chain.next(new HubInvocationContext(this.hubName, this.hub, method.method(),
					target, Arrays.asList(arguments), context, id, headers))
					: method.invokeNow(this.hub, arguments, context, this.blocking);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			completion.onError(ex);
			return;
		}
		result.subscribe(completion);
	}

	/**
	 * Creates the client-to-server streams an invocation names and puts them into its arguments.
	 * @return {@code false} when the stream count does not match (an error was sent)
	 */
	private boolean openClientStreams(HubConnectionContext context, HubMethod method, String target,
			@Nullable String id, List<String> streamIds, Object[] arguments) {
		Type[] itemTypes = method.streamItemTypes();
		if (streamIds.size() != itemTypes.length) {
			HubException error = new HubException("Client sent " + streamIds.size() + " stream(s), Hub method expects "
					+ itemTypes.length + ".");
			HubLog.invalidHubParameters(target, error);
			context.sendError(id, context.errorMessage(
					"An unexpected error occurred invoking '" + target + "' on the server.", error));
			return false;
		}
		if (itemTypes.length == 0) {
			return true;
		}
		List<Flux<Object>> streams = new ArrayList<>(itemTypes.length);
		for (int i = 0; i < itemTypes.length; i++) {
			HubLog.startingParameterStream(streamIds.get(i));
			ClientStream stream = new ClientStream(itemTypes[i], this.options.streamBufferCapacity());
			context.clientStreams().put(streamIds.get(i), stream);
			streams.add(stream.flux());
		}
		method.attachStreams(arguments, streams);
		return true;
	}

	/** Starts a server-to-client stream; its items go to the client at the client's pace. */
	public Mono<Void> stream(HubConnectionContext context, HubMessage.StreamInvocation invocation) {
		String id = invocation.invocationId();
		HubLog.receivedStreamHubInvocation(invocation);
		HubMethod method = this.descriptor.find(invocation.target());
		if (method == null) {
			HubLog.unknownHubMethod(invocation.target());
			context.sendError(id, invocation.target(), null, "Failed to invoke '" + invocation.target()
					+ "' due to an error on the server. HubException: Method does not exist.");
			return Mono.empty();
		}
		Object[] arguments = bind(context, method, invocation.target(), id, invocation.arguments());
		if (arguments == null) {
			return Mono.empty();
		}
		if (!method.isStreaming()) {
			HubLog.nonStreamingMethodCalledWithStream(invocation);
			context.sendError(id, "The client attempted to invoke the non-streaming '" + invocation.target()
					+ "' method with a streaming invocation.");
			return Mono.empty();
		}
		if (context.streams().containsKey(id)) {
			HubLog.invocationIdInUse(id);
			context.sendError(id, "Invocation ID '" + id + "' is already in use.");
			return Mono.empty();
		}
		Flux<Object> items;
		try {
			items = method.stream(this.hub, arguments, context);
		}
		catch (Exception ex) {
			Throwable handled = this.exceptionHandlers.handle(ex, context);
			if (handled != null) {
				HubLog.handledHubMethodException(invocation.target(), ex);
			}
			else {
				HubLog.failedInvokingHubMethod(invocation.target(), ex);
			}
			context.sendError(id, context.errorMessage(
					"An unexpected error occurred invoking '" + invocation.target() + "' on the server.",
					(handled != null) ? handled : ex));
			return Mono.empty();
		}
		StreamSender sender = new StreamSender(context, id, this.exceptionHandlers);
		context.streams().put(id, sender);
		items.subscribe(sender);
		return Mono.empty();
	}

	/** Cancels a server-to-client stream; the reference ends it with a Completion that carries no error. */
	public void cancel(HubConnectionContext context, String invocationId) {
		Disposable stream = context.streams().remove(invocationId);
		if (stream == null) {
			HubLog.unexpectedCancel();
		}
		else {
			HubLog.cancelStream(invocationId);
			stream.dispose();
			context.write(HubMessage.Completion.empty(invocationId));
		}
	}

	/** Ends a client-to-server stream, or answers a client result the server asked for. */
	public void completion(HubConnectionContext context, HubMessage.Completion completion) {
		ClientStream stream = context.clientStreams().remove(completion.invocationId());
		if (stream != null) {
			HubLog.completingStream(completion.invocationId());
			stream.complete((completion.error() != null) ? new HubException(completion.error()) : null);
		}
		else if (!context.completeClientResult(completion)) {
			HubLog.unexpectedCompletion(completion.invocationId());
		}
	}

	/** Passes an item of a client-to-server stream to the hub method reading it. */
	public Mono<Void> streamItem(HubConnectionContext context, HubMessage.StreamItem item) {
		ClientStream stream = context.clientStreams().get(item.invocationId());
		if (stream == null) {
			HubLog.unexpectedStreamItem();
			return Mono.empty();
		}
		HubLog.receivedStreamItem(item.invocationId());
		Object value;
		try {
			value = protocol(context).bind(item.item(), stream.itemType());
		}
		catch (RuntimeException ex) {
			HubLog.closingStreamWithBindingError(item.invocationId(), "Failed to bind Stream message.");
			context.clientStreams().remove(item.invocationId());
			stream.complete(new InvalidDataException("Failed to bind Stream message.", ex));
			return Mono.empty();
		}
		return stream.offer(value);
	}

	private static HubProtocol protocol(HubConnectionContext context) {
		HubProtocol protocol = context.protocol();
		if (protocol == null) {
			throw new IllegalStateException("No protocol before the handshake");
		}
		return protocol;
	}

	/** The callable methods of the hub (for the legacy proxy script). */
	public HubDescriptor descriptor() {
		return this.descriptor;
	}
}
