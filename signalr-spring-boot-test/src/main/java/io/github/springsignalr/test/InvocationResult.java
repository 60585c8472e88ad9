package io.github.springsignalr.test;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link HubTestConnection#invoke invocation}: the hub method's result or the error
 * text the client was sent. Each method waits up to the tester's timeout for the server's Completion.
 */
public final class InvocationResult {

	private final String method;

	private final HubProtocol protocol;

	private final Duration timeout;

	private final CompletableFuture<HubMessage.Completion> completion = new CompletableFuture<>();

	InvocationResult(String method, HubProtocol protocol, Duration timeout) {
		this.method = method;
		this.protocol = protocol;
		this.timeout = timeout;
	}

	void complete(HubMessage.Completion message) {
		this.completion.complete(message);
	}

	void fail(String reason) {
		this.completion.completeExceptionally(new IllegalStateException(reason));
	}

	/** Asserts that the method completed without an error (whatever it returned). */
	public InvocationResult expectCompletion() {
		HubMessage.Completion message = await();
		if (message.error() != null) {
			throw new AssertionError("Expected '" + this.method + "' to complete but it failed: " + message.error());
		}
		return this;
	}

	/** Asserts success and returns the result read as {@code type} ({@code null} for a void method). */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T returnResult(Class<T> type) {
		expectCompletion();
		return (T) this.protocol.bind(await().result(), type);
	}

	/** Asserts that the method returned {@code expected} (compared after reading the result as its type). */
	public InvocationResult expectResult(@Nullable Object expected) {
		expectCompletion();
		Object actual = ClientCall.bindLike(this.protocol, expected, await().result());
		if (!Objects.equals(expected, actual)) {
			throw new AssertionError("Expected '" + this.method + "' to return <" + expected + "> but it returned <"
					+ actual + ">");
		}
		return this;
	}

	/** Asserts that the method failed and returns the error text the client got. */
	public String expectError() {
		HubMessage.Completion message = await();
		if (message.error() == null) {
			throw new AssertionError("Expected '" + this.method + "' to fail but it completed"
					+ (message.hasResult() ? " with <" + message.result() + ">" : ""));
		}
		return message.error();
	}

	/** Asserts that the method failed with exactly {@code expected} as the client's error text. */
	public InvocationResult expectError(String expected) {
		String error = expectError();
		if (!expected.equals(error)) {
			throw new AssertionError("Expected '" + this.method + "' to fail with <" + expected + "> but the error was <"
					+ error + ">");
		}
		return this;
	}

	private HubMessage.Completion await() {
		try {
			return this.completion.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("No result of '" + this.method + "' within " + this.timeout);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new AssertionError("No result of '" + this.method + "': " + ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for '" + this.method + "'");
		}
	}
}
