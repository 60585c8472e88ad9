package io.github.springsignalr.hub;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

import io.github.springsignalr.UnauthorizedInvocationException;
import io.github.springsignalr.protocol.HubMessage;

/**
 * One running invocation: sends its Completion (when the client wants one) or its error and frees its
 * slot. One subscriber instead of an operator chain per invocation.
 */
final class InvocationCompletion implements CoreSubscriber<Object> {

	private final HubConnectionContext context;

	private final String target;

	private final @Nullable String id;

	private final @Nullable InvocationLimiter limiter;

	private final AtomicInteger running;

	private final ExceptionHandlers exceptionHandlers;

	private @Nullable Object result;

	private boolean done;

	/**
	 * @param running the hub's count of running invocations, decremented when this one ends
	 */
	InvocationCompletion(HubConnectionContext context, String target, @Nullable String id,
			@Nullable InvocationLimiter limiter, AtomicInteger running, ExceptionHandlers exceptionHandlers) {
		this.exceptionHandlers = exceptionHandlers;
		this.context = context;
		this.target = target;
		this.id = id;
		this.limiter = limiter;
		this.running = running;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(Object value) {
		this.result = value;
	}

	@Override
	public void onComplete() {
		if (this.done) {
			return;
		}
		this.done = true;
		if (this.id != null) {
			// a void method completes with "result":null, as the reference writes it
			this.context.write(HubMessage.Completion.withResult(this.id, this.result));
		}
		// released after the Completion is queued, so completions keep the order of invocations
		if (this.limiter != null) {
			this.limiter.release();
		}
		this.running.decrementAndGet();
	}

	@Override
	public void onError(Throwable error) {
		if (this.done) {
			return;
		}
		this.done = true;
		if (error instanceof UnauthorizedInvocationException) {
			HubLog.hubMethodNotAuthorized(this.target);
			this.context.sendError(this.id, this.target, error,
					"Failed to invoke '" + this.target + "' because user is unauthorized");
		}
		else {
			Throwable handled = this.exceptionHandlers.handle(error, this.context);
			Throwable failure = (handled != null) ? handled : error;
			if (handled != null) {
				HubLog.handledHubMethodException(this.target, error);
			}
			else if (ArgumentValidation.isViolation(error)) {
				HubLog.invalidHubParameters(this.target, error);
			}
			else {
				HubLog.failedInvokingHubMethod(this.target, error);
			}
			this.context.sendError(this.id, this.target, failure, this.context.errorMessage(
					"An unexpected error occurred invoking '" + this.target + "' on the server.", failure));
		}
		if (this.limiter != null) {
			this.limiter.release();
		}
		this.running.decrementAndGet();
	}
}
