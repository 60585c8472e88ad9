package io.github.springsignalr.hub;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.github.springsignalr.HubException;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * The results a connection's client owes the server: invocations of client methods that wait for the
 * client's Completion, asked here or forwarded from another node of a backplane. Created on a
 * connection's first such invocation (most never have one).
 */
final class ClientResults {

	private final Map<String, PendingResult> pending = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	/** A result the server waits for; without a type, one forwarded to another node. */
	private record PendingResult(@Nullable Class<?> type, Sinks.One<Object> sink) {
	}

	/** See {@link HubConnectionContext#invokeClient}. */
	<T> Mono<T> invoke(HubConnectionContext context, String method, @Nullable Object[] arguments,
			Class<T> resultType, @Nullable Duration timeout) {
		if (context.protocol() == null || context.isClosing()) {
			return Mono.error(disconnected(context));
		}
		if (context.protocol() instanceof WithoutClientResults protocol) {
			return Mono.error(new HubException(protocol.clientResultsRefused(context.connectionId())));
		}
		String id = Long.toString(this.ids.incrementAndGet());
		Sinks.One<Object> result = Sinks.one();
		this.pending.put(id, new PendingResult(resultType, result));
		context.limiter().lend();
		context.write(new HubMessage.Invocation(id, method, Arrays.asList(arguments)));
		Mono<T> answer = result.asMono().cast(resultType);
		if (timeout != null) {
			answer = answer.timeout(timeout, Mono.error(() -> new HubException("Client '" + context.connectionId()
					+ "' did not answer '" + method + "' within " + timeout + ".")));
		}
		return answer.doFinally((signal) -> {
			if (this.pending.remove(id) != null) {
				context.limiter().takeBack();
			}
		});
	}

	/** See {@link HubConnectionContext#forwardInvocation}. */
	Mono<HubMessage.Completion> forward(HubConnectionContext context, String invocationId,
			SerializedHubMessage invocation) {
		if (context.protocol() == null || context.isClosing()) {
			return Mono.error(disconnected(context));
		}
		if (context.protocol() instanceof WithoutClientResults protocol) {
			return Mono.error(new HubException(protocol.clientResultsRefused(context.connectionId())));
		}
		Sinks.One<Object> result = Sinks.one();
		this.pending.put(invocationId, new PendingResult(null, result));
		context.write(invocation);
		return result.asMono()
			.cast(HubMessage.Completion.class)
			.doFinally((signal) -> this.pending.remove(invocationId));
	}

	/** Completes a pending client result; {@code false} when the id is not one. */
	boolean complete(HubConnectionContext context, HubMessage.Completion completion) {
		PendingResult pending = this.pending.remove(completion.invocationId());
		if (pending == null) {
			return false;
		}
		Class<?> type = pending.type();
		if (type == null) {
			// forwarded for another node: no permit was lent, the result is bound there
			pending.sink().tryEmitValue(completion);
			return true;
		}
		context.limiter().takeBack();
		if (completion.error() != null) {
			pending.sink().tryEmitError(new HubException(completion.error()));
			return true;
		}
		try {
			HubProtocol protocol = context.protocol();
			Object value = (protocol != null && completion.hasResult()) ? protocol.bind(completion.result(), type)
					: null;
			if (value == null) {
				pending.sink().tryEmitEmpty();
			}
			else {
				pending.sink().tryEmitValue(value);
			}
		}
		catch (RuntimeException ex) {
			pending.sink().tryEmitError(new HubException("Error trying to deserialize result to "
					+ type.getSimpleName() + ". " + ex.getMessage()));
		}
		return true;
	}

	/** Fails every pending client result: the connection is gone. */
	void failAll(HubConnectionContext context) {
		for (String id : this.pending.keySet()) {
			PendingResult pending = this.pending.remove(id);
			if (pending != null) {
				pending.sink().tryEmitError(disconnected(context));
			}
		}
	}

	private static HubException disconnected(HubConnectionContext context) {
		return new HubException("Connection '" + context.connectionId() + "' disconnected.");
	}
}
