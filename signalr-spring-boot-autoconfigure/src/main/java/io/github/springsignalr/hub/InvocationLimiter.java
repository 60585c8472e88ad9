package io.github.springsignalr.hub;

import java.util.ArrayDeque;
import java.util.Queue;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Bounds the invocations of one connection that run at the same time. The reader waits on
 * {@link #acquire()} before starting an invocation, so a client over its limit is read no further,
 * as the reference does.
 */
final class InvocationLimiter {

	private final Queue<Sinks.Empty<Void>> waiters = new ArrayDeque<>(1);

	private int available;

	InvocationLimiter(int permits) {
		this.available = Math.max(1, permits);
	}

	Mono<Void> acquire() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			if (this.available > 0) {
				this.available--;
				return Mono.empty();
			}
			waiter = Sinks.empty();
			this.waiters.add(waiter);
		}
		return waiter.asMono();
	}

	void release() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			waiter = this.waiters.poll();
			if (waiter == null) {
				this.available++;
				return;
			}
		}
		waiter.tryEmitEmpty();
	}

	/** Whether the reader is waiting for a slot. */
	synchronized boolean hasWaiters() {
		return !this.waiters.isEmpty();
	}

	/** Wakes every waiter, for a connection that ends. */
	void releaseAll() {
		Sinks.Empty<Void> waiter;
		while (true) {
			synchronized (this) {
				waiter = this.waiters.poll();
			}
			if (waiter == null) {
				return;
			}
			waiter.tryEmitEmpty();
		}
	}
}
