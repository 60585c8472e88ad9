package io.github.springsignalr.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Group changes for connections of other nodes, as ASP.NET Core's {@code AckHandler}: a group command
 * goes to the channel of the connection, and the node that owns it answers with an Ack on the sender's
 * ack channel once it carried it out.
 */
final class RedisGroupAcks {

	private final RedisBackplane backplane;

	private final String nodeId;

	private final RedisChannels channels;

	private final Duration ackTimeout;

	private final Consumer<Mono<?>> logFailure;

	private final AtomicInteger commandIds = new AtomicInteger();

	private final Map<Integer, Sinks.Empty<Void>> acks = new ConcurrentHashMap<>();

	/**
	 * @param ackTimeout how long a group command waits for its Ack
	 * @param logFailure logs the failure of a command nobody waits for
	 */
	RedisGroupAcks(RedisBackplane backplane, RedisChannels channels, Duration ackTimeout,
			Consumer<Mono<?>> logFailure) {
		this.backplane = backplane;
		this.nodeId = backplane.nodeId();
		this.channels = channels;
		this.ackTimeout = ackTimeout;
		this.logFailure = logFailure;
	}

	/**
	 * Asks the node that owns a connection to add it to a group or remove it, and waits for its Ack. The
	 * command is sent at once.
	 */
	Mono<Void> send(String connectionId, String groupName, boolean add) {
		int id = this.commandIds.incrementAndGet();
		Sinks.Empty<Void> ack = Sinks.empty();
		this.acks.put(id, ack);
		byte[] payload = RedisProtocol
			.write(new RedisProtocol.GroupCommand(this.nodeId, id, add, connectionId, groupName));
		Mono<Void> done = this.backplane.publish(this.channels.connection(connectionId), payload)
			// no subscriber: no node owns the connection, nothing to do
			.flatMap((receivers) -> (receivers == 0) ? Mono.<Void>empty()
					: ack.asMono()
						.timeout(this.ackTimeout, Mono.error(() -> new RedisBackplaneException((add
								? "Adding connection '" + connectionId + "' to group '" + groupName + "'"
								: "Removing connection '" + connectionId + "' from group '" + groupName + "'")
								+ " was not acknowledged within " + this.ackTimeout
								+ " by the node that owns the connection."))))
			.publishOn(Schedulers.parallel())
			.doFinally((signal) -> this.acks.remove(id))
			.cache();
		// the wait runs whether or not the caller subscribes, so the ack entry is always released
		done.subscribe(null, (ex) -> {
		});
		return done;
	}

	/** Tells the node that sent a group command that it was carried out. */
	void acknowledge(RedisProtocol.GroupCommand command) {
		byte[] payload = RedisProtocol.write(new RedisProtocol.Ack(this.nodeId, command.id()));
		this.logFailure.accept(this.backplane.publish(this.channels.ack(command.origin()), payload));
	}

	/** Handles a payload of this node's ack channel. */
	void onAck(byte[] payload) {
		if (RedisProtocol.readOrWarn(payload) instanceof RedisProtocol.Ack ack) {
			Sinks.Empty<Void> waiting = this.acks.get(ack.id());
			if (waiting != null) {
				waiting.tryEmitEmpty();
			}
		}
	}

}
