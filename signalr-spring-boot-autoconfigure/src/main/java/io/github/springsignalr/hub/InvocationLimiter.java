package io.github.springsignalr.hub;

import java.util.ArrayDeque;
import java.util.Queue;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Bounds the invocations of one connection that run at the same time. The reader waits on
 * {@link #acquire()} before starting an invocation, so a client over its limit is read no further,
 * as the reference does.
 */
final class InvocationLimiter {

	/** Readers waiting for a slot; created when the first one waits (most clients never hit the limit). */
	private @Nullable Queue<Sinks.Empty<Void>> waiters;

	private int available;

	/** Permits lent out by {@link #lend()} and not yet taken back. */
	private int owed;

	InvocationLimiter(int permits) {
		this.available = Math.max(1, permits);
	}

	/** Takes a slot when one is free, without waiting. */
	synchronized boolean tryAcquire() {
		if (this.available > 0) {
			this.available--;
			return true;
		}
		return false;
	}

	Mono<Void> acquire() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			if (this.available > 0) {
				this.available--;
				return Mono.empty();
			}
			waiter = Sinks.empty();
			if (this.waiters == null) {
				this.waiters = new ArrayDeque<>(1);
			}
			this.waiters.add(waiter);
		}
		return waiter.asMono();
	}

	void release() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			if (this.owed > 0) {
				this.owed--;
				return;
			}
			waiter = poll();
			if (waiter == null) {
				this.available++;
				return;
			}
		}
		waiter.tryEmitEmpty();
	}

	/**
	 * Adds a permit while the server waits for this client's result, so the reader can go on and read
	 * that result even when every slot is held by invocations waiting for it.
	 */
	void lend() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			waiter = poll();
			if (waiter == null) {
				this.available++;
				return;
			}
		}
		waiter.tryEmitEmpty();
	}

	/** Takes back a permit added by {@link #lend()}, now or at the next release. */
	synchronized void takeBack() {
		if (this.available > 0) {
			this.available--;
		}
		else {
			this.owed++;
		}
	}

	/** Whether the reader is waiting for a slot. */
	synchronized boolean hasWaiters() {
		return this.waiters != null && !this.waiters.isEmpty();
	}

	private Sinks.@Nullable Empty<Void> poll() {
		return (this.waiters != null) ? this.waiters.poll() : null;
	}

	/** Wakes every waiter, for a connection that ends. */
	void releaseAll() {
		Sinks.Empty<Void> waiter;
		while (true) {
			synchronized (this) {
				waiter = poll();
			}
			if (waiter == null) {
				return;
			}
			waiter.tryEmitEmpty();
		}
	}
}
