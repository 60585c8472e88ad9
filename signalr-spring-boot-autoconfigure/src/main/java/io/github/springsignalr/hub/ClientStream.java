package io.github.springsignalr.hub;

import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Queue;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One client-to-server stream: items from the client's StreamItem messages, buffered up to a
 * capacity; when the buffer is full the connection is read no further until the hub method takes an
 * item, as the reference does with its bounded channel.
 */
final class ClientStream {

	private final Type itemType;

	private final int capacity;

	private final Queue<Object> buffer = new ArrayDeque<>();

	private final Flux<Object> flux;

	private @Nullable FluxSink<Object> sink;

	private long demand;

	private boolean done;

	private @Nullable Throwable error;

	private Sinks.@Nullable Empty<Void> spaceWaiter;

	ClientStream(Type itemType, int capacity) {
		this.itemType = itemType;
		this.capacity = Math.max(1, capacity);
		this.flux = Flux.create((sink) -> {
			synchronized (this) {
				this.sink = sink;
			}
			sink.onRequest((n) -> {
				synchronized (this) {
					this.demand = (this.demand + n < 0) ? Long.MAX_VALUE : this.demand + n;
				}
				drain();
			});
			sink.onCancel(() -> {
				synchronized (this) {
					this.done = true;
					this.buffer.clear();
				}
				wakeWriter();
			});
		});
	}

	Type itemType() {
		return this.itemType;
	}

	Flux<Object> flux() {
		return this.flux;
	}

	/**
	 * Adds an item.
	 * @return completes when the item is buffered; waits while the buffer is full
	 */
	Mono<Void> offer(@Nullable Object item) {
		Sinks.Empty<Void> waiter = null;
		synchronized (this) {
			if (this.done) {
				return Mono.empty();
			}
			if (this.buffer.size() >= this.capacity && this.demand == 0) {
				waiter = Sinks.empty();
				this.spaceWaiter = waiter;
			}
		}
		if (waiter != null) {
			return waiter.asMono().then(Mono.defer(() -> offer(item)));
		}
		synchronized (this) {
			this.buffer.add((item != null) ? item : NullItem.INSTANCE);
		}
		drain();
		return Mono.empty();
	}

	void complete(@Nullable Throwable error) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			this.error = error;
		}
		drain();
	}

	private void drain() {
		boolean took = false;
		while (true) {
			Object item;
			FluxSink<Object> sink;
			synchronized (this) {
				sink = this.sink;
				if (sink == null) {
					break;
				}
				if (this.buffer.isEmpty()) {
					if (this.done) {
						this.sink = null;
						if (this.error != null) {
							sink.error(this.error);
						}
						else {
							sink.complete();
						}
					}
					break;
				}
				if (this.demand == 0) {
					break;
				}
				item = this.buffer.poll();
				this.demand--;
				took = true;
			}
			if (item != NullItem.INSTANCE) {
				sink.next(item);
			}
		}
		if (took) {
			wakeWriter();
		}
	}

	private void wakeWriter() {
		Sinks.Empty<Void> waiter;
		synchronized (this) {
			waiter = this.spaceWaiter;
			this.spaceWaiter = null;
		}
		if (waiter != null) {
			waiter.tryEmitEmpty();
		}
	}

	/** Reactive Streams forbid null items: a null from the client is skipped. */
	private enum NullItem {
		INSTANCE
	}
}
