package io.github.springsignalr.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.springsignalr.protocol.HubProtocol;
import org.jspecify.annotations.Nullable;

/**
 * The items of one {@link HubTestConnection#stream streaming invocation}, taken in order, and how it
 * ended. Each method waits up to the tester's timeout.
 */
public final class StreamResult {

	/** Marks the end of the stream in the item mailbox. */
	private record End(@Nullable String error) {
	}

	private final String method;

	private final HubProtocol protocol;

	private final Duration timeout;

	private final Runnable cancel;

	private final Mailbox<Object> events = new Mailbox<>();

	StreamResult(String method, HubProtocol protocol, Duration timeout, Runnable cancel) {
		this.method = method;
		this.protocol = protocol;
		this.timeout = timeout;
		this.cancel = cancel;
	}

	void item(@Nullable Object raw) {
		this.events.put(new Item(raw));
	}

	void complete(@Nullable String error) {
		this.events.put(new End(error));
	}

	void fail(String reason) {
		this.events.put(new End(reason));
	}

	/** One item as it came (a raw value of the protocol). */
	private record Item(@Nullable Object raw) {
	}

	/** Asserts that the next items are {@code expected}, in order (each compared after reading it as its type). */
	public StreamResult expectNext(@Nullable Object... expected) {
		for (Object value : (expected != null) ? expected : new Object[] { null }) {
			Object raw = next("<" + value + ">");
			Object actual = ClientCall.bindLike(this.protocol, value, raw);
			if (!Objects.equals(value, actual)) {
				throw new AssertionError("Expected the next item of '" + this.method + "' to be <" + value + "> but was <"
						+ actual + ">");
			}
		}
		return this;
	}

	/** Takes the next {@code count} items read as {@code type}. */
	@SuppressWarnings("unchecked")
	public <T> List<T> takeItems(int count, Class<T> type) {
		List<T> items = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			items.add((T) this.protocol.bind(next(count + " items"), type));
		}
		return items;
	}

	/** Asserts that the stream completed without error after the items taken so far. */
	public void expectComplete() {
		End end = end();
		if (end.error() != null) {
			throw new AssertionError("Expected '" + this.method + "' to complete but it failed: " + end.error());
		}
	}

	/** Asserts that the stream ended with an error after the items taken so far, and returns its text. */
	public String expectError() {
		End end = end();
		if (end.error() == null) {
			throw new AssertionError("Expected '" + this.method + "' to fail but it completed");
		}
		return end.error();
	}

	/** Asks the server to stop the stream (a CancelInvocation), as a client's unsubscribe does. */
	public void cancel() {
		this.cancel.run();
	}

	private @Nullable Object next(String what) {
		Object event = this.events.take((e) -> true, this.timeout);
		if (event instanceof Item item) {
			return item.raw();
		}
		if (event instanceof End end) {
			throw new AssertionError("Expected " + what + " from '" + this.method + "' but the stream "
					+ ((end.error() != null) ? "failed: " + end.error() : "completed"));
		}
		throw new AssertionError("Expected " + what + " from '" + this.method + "' within " + this.timeout
				+ " but nothing came");
	}

	private End end() {
		Object event = this.events.take((e) -> true, this.timeout);
		if (event instanceof End end) {
			return end;
		}
		if (event instanceof Item item) {
			throw new AssertionError("Expected the end of '" + this.method + "' but got the item <" + item.raw() + ">");
		}
		throw new AssertionError("Expected the end of '" + this.method + "' within " + this.timeout);
	}
}
