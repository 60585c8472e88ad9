package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import io.github.springsignalr.protocol.HubMessage;

/**
 * The hub invocations of one classic connection: each is read, refused (unknown hub, a hub the user may
 * not use, state too long) or given to its hub's dispatcher, and waits for its result, which goes to the
 * request that carried it (never buffered); progress reports and caller state are the running
 * invocation's.
 */
final class LegacyHubInvocations {

	private static final Log logger = LogFactory.getLog(LegacyHubInvocations.class);

	private static final byte[] RESULT = LegacyConnection.utf8("{\"I\":\"");

	private final LegacyConnection connection;

	private final LegacyConnections owner;

	/** The hubs this connection's user may use (decided at negotiate). */
	private final Predicate<LegacyHub> allowed;

	private final PendingResults pending = new PendingResults();

	LegacyHubInvocations(LegacyConnection connection, LegacyConnections owner, Predicate<LegacyHub> allowed) {
		this.connection = connection;
		this.owner = owner;
		this.allowed = allowed;
	}

	/** Runs a hub invocation, answered with its result JSON; anything else completes empty. */
	Mono<String> receive(String data) {
		LegacyInvocation invocation = this.owner.invocations().read(data);
		if (invocation == null) {
			logger.debug("Ignoring data of connection " + this.connection.id() + " that is not a hub invocation");
			return Mono.empty();
		}
		if (invocation.stateTooLong()) {
			return Mono.just(invocation.error(this.owner.mapper(), LegacyInvocation.STATE_TOO_LONG));
		}
		LegacyHub hub = this.owner.hubs().find(invocation.hub());
		if (hub == null) {
			return Mono.just(invocation.error(this.owner.mapper(), "'" + invocation.hub() + "' Hub could not be resolved."));
		}
		if (!this.allowed.test(hub)) {
			return Mono.just(invocation.error(this.owner.mapper(),
					"There was an error invoking Hub method '" + invocation.hub() + "." + invocation.method() + "'."));
		}
		if (this.connection.isEnded()) {
			return Mono.empty();
		}
		LegacyHubConnection view = this.connection.hubs().view(hub);
		Mono<String> result = this.pending.register(invocation.id(), invocation.hub(),
				new LegacyCallerState(this.owner.mapper(), invocation.state()));
		return hub.handler()
			.dispatcher()
			.invoke(view.context(), new HubMessage.Invocation(invocation.id(), invocation.method(), invocation.arguments()))
			.then(result);
	}

	/**
	 * What a hub view sends: results to their request, client invocations and progress into the buffer.
	 * The bytes may be shared by every recipient of a message: they are kept, never changed.
	 */
	boolean outbound(byte[] bytes) {
		if (bytes.length == 0 || this.connection.isEnded()) {
			return bytes.length == 0;
		}
		if (isResult(bytes)) {
			return result(new String(bytes, StandardCharsets.UTF_8));
		}
		return this.connection.buffered(bytes);
	}

	/** Whether a hub message is a result ({@code {"I":"<id>",..}}) rather than a progress report ({@code "P|<id>"}). */
	private static boolean isResult(byte[] json) {
		return json.length > RESULT.length && Arrays.equals(json, 0, RESULT.length, RESULT, 0, RESULT.length)
				&& !(json[RESULT.length] == 'P' && json.length > RESULT.length + 1 && json[RESULT.length + 1] == '|');
	}

	/** A result: to the request waiting for it, else on the live channel; {@code false} when neither is there. */
	boolean result(String json) {
		if (this.pending.complete(this.owner.mapper(), json)) {
			return true;
		}
		LegacyTransport channel = this.connection.live();
		return channel != null && channel.write(LegacyConnection.utf8(json));
	}

	/** A progress report of a running invocation: buffered and enveloped as client invocations are. */
	void progress(String invocationId, String json) {
		if (!this.pending.isPending(invocationId)) {
			throw new IllegalStateException(
					"You cannot report progress on a hub method invocation that has already completed.");
		}
		outbound(LegacyConnection.utf8(json));
	}

	/** The caller state of a running invocation (empty when it is not running). */
	LegacyCallerState callerState(String invocationId) {
		LegacyCallerState state = this.pending.state(invocationId);
		return (state != null) ? state : new LegacyCallerState(this.owner.mapper(), null);
	}

	/** The hub name an invocation was sent with, for the error texts. */
	String hubAsSent(String invocationId, String hubName) {
		return this.pending.hubAsSent(invocationId, hubName);
	}

	/** The connection ended: every waiting request completes without a result. */
	void clear() {
		this.pending.clear();
	}
}
