package io.github.springsignalr.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.HubException;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.WithoutClientResults;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * Client results across nodes: invoking a client whose connection another node owns (the invocation goes
 * to the connection's channel, the client's Completion comes back on this node's return channel), and,
 * as the owner, forwarding such an invocation to the client and returning its Completion.
 */
final class RedisClientResults {

	private final RedisBackplane backplane;

	private final String nodeId;

	private final RedisChannels channels;

	private final List<HubProtocol> protocols;

	private final Map<String, HubProtocol> protocolsByName = new LinkedHashMap<>();

	private final @Nullable Duration clientResultTimeout;

	private final Consumer<Mono<?>> logFailure;

	private final AtomicLong invocationIds = new AtomicLong();

	private final Map<String, Sinks.One<RedisProtocol.Result>> results = new ConcurrentHashMap<>();

	/**
	 * @param clientResultTimeout how long a client result is waited for; {@code null} for ever
	 * @param logFailure logs the failure of a command nobody waits for
	 */
	RedisClientResults(RedisBackplane backplane, RedisChannels channels, List<HubProtocol> protocols,
			@Nullable Duration clientResultTimeout, Consumer<Mono<?>> logFailure) {
		this.backplane = backplane;
		this.nodeId = backplane.nodeId();
		this.channels = channels;
		this.protocols = protocols;
		for (HubProtocol protocol : protocols) {
			this.protocolsByName.put(protocol.name(), protocol);
		}
		this.clientResultTimeout = clientResultTimeout;
		this.logFailure = logFailure;
	}

	/** Invokes a method on a connection of another node and waits for the client's result. */
	<T> Mono<T> invoke(String connectionId, String method, @Nullable Object[] arguments, Class<T> resultType) {
		Mono<T> answer = Mono.defer(() -> {
			String invocationId = "r" + this.invocationIds.incrementAndGet() + "_" + this.nodeId;
			SerializedHubMessage message = new SerializedHubMessage(
					new HubMessage.Invocation(invocationId, method, Arrays.asList(arguments)));
			Map<String, byte[]> serializations = RedisProtocol.serializations(message, this.protocols);
			Sinks.One<RedisProtocol.Result> result = Sinks.one();
			this.results.put(invocationId, result);
			byte[] payload = RedisProtocol
				.write(new RedisProtocol.ClientInvocation(this.nodeId, invocationId, serializations));
			return this.backplane.publish(this.channels.connection(connectionId), payload)
				.flatMap((receivers) -> (receivers == 0)
						? Mono.<RedisProtocol.Result>error(
								new HubException("Connection '" + connectionId + "' does not exist."))
						: result.asMono())
				.publishOn(Schedulers.parallel())
				.flatMap((completion) -> bindResult(completion, resultType))
				.doFinally((signal) -> this.results.remove(invocationId));
		});
		Duration timeout = this.clientResultTimeout;
		if (timeout != null) {
			answer = answer.timeout(timeout, Mono.error(() -> new HubException(
					"Client '" + connectionId + "' did not answer '" + method + "' within " + timeout + ".")));
		}
		return answer;
	}

	/** Reads the client's Completion that the owning node returned and binds its result. */
	private <T> Mono<T> bindResult(RedisProtocol.Result result, Class<T> resultType) {
		HubProtocol protocol = this.protocolsByName.get(result.protocol());
		if (protocol == null) {
			return Mono.error(new HubException("The client's result came in protocol '" + result.protocol()
					+ "', which this node does not have."));
		}
		List<HubMessage> messages = new ArrayList<>(1);
		protocol.parseMessages(ByteBuffer.wrap(result.completion()), Integer.MAX_VALUE, messages::add);
		if (messages.size() != 1 || !(messages.get(0) instanceof HubMessage.Completion completion)) {
			return Mono.error(new HubException("The node that owns the connection returned no Completion."));
		}
		if (completion.error() != null) {
			return Mono.error(new HubException(completion.error()));
		}
		if (!completion.hasResult()) {
			return Mono.empty();
		}
		try {
			return Mono.justOrEmpty(resultType.cast(protocol.bind(completion.result(), resultType)));
		}
		catch (RuntimeException ex) {
			return Mono.error(new HubException("Error trying to deserialize result to " + resultType.getSimpleName()
					+ ". " + ex.getMessage()));
		}
	}

	/** Handles a payload of this node's return channel. */
	void onResult(byte[] payload) {
		if (RedisProtocol.readOrWarn(payload) instanceof RedisProtocol.Result result) {
			Sinks.One<RedisProtocol.Result> waiting = this.results.remove(result.invocationId());
			if (waiting != null) {
				waiting.tryEmitValue(result);
			}
		}
	}

	/**
	 * Writes an invocation of another node to its client and returns the client's Completion.
	 * @param current whether the connection is still this node's
	 */
	void forward(HubConnectionContext connection, boolean current, RedisProtocol.ClientInvocation invocation) {
		HubProtocol protocol = connection.protocol();
		String id = invocation.invocationId();
		if (!current || protocol == null) {
			returnResult(invocation, this.protocols.get(0), HubMessage.Completion.withError(id,
					"Connection '" + connection.connectionId() + "' does not exist."));
			return;
		}
		if (protocol instanceof WithoutClientResults refused) {
			// said in a protocol every node has
			returnResult(invocation, this.protocols.get(0),
					HubMessage.Completion.withError(id, refused.clientResultsRefused(connection.connectionId())));
			return;
		}
		if (!invocation.serializations().containsKey(protocol.name())) {
			returnResult(invocation, protocol, HubMessage.Completion.withError(id, "The invocation was not serialized "
					+ "for protocol '" + protocol.name() + "' of connection '" + connection.connectionId() + "'."));
			return;
		}
		connection.forwardInvocation(id, RedisProtocol.message(invocation.serializations()))
			.subscribe((completion) -> returnResult(invocation, protocol, completion),
					(ex) -> returnResult(invocation, protocol,
							HubMessage.Completion.withError(id, String.valueOf(ex.getMessage()))));
	}

	private void returnResult(RedisProtocol.ClientInvocation invocation, HubProtocol protocol,
			HubMessage.Completion completion) {
		byte[] payload = RedisProtocol.write(new RedisProtocol.Result(this.nodeId, invocation.invocationId(),
				protocol.name(), protocol.writeMessage(completion)));
		this.logFailure.accept(this.backplane.publish(this.channels.returnResults(invocation.origin()), payload));
	}

}
