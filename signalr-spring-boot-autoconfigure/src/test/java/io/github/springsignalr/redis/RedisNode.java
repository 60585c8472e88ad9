package io.github.springsignalr.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.HubLifetimeManagerContract.ContractHub;
import io.github.springsignalr.hub.LifetimeHubClients;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.MessagePackHubProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node of a scaled-out application in a test: its own Redis connections, lifetime manager and hub
 * runtime, with clients that are {@link RecordingConnection}s speaking JSON or MessagePack.
 */
final class RedisNode implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final JsonHubProtocol JSON = new JsonHubProtocol(JsonMapper.builder().build());

	static final MessagePackHubProtocol MESSAGE_PACK = new MessagePackHubProtocol(JsonMapper.builder().build());

	private final RedisBackplane backplane;

	private final RedisHubLifetimeManager manager;

	private final HubConnectionHandler handler;

	private final Scheduler blocking = Schedulers.newBoundedElastic(2, 100, "redis-node");

	RedisNode(AbstractRedisClient client, boolean sharded, String channelPrefix, Duration ackTimeout) {
		this.backplane = RedisBackplane.connect(client, sharded, false);
		this.manager = new RedisHubLifetimeManager(this.backplane, channelPrefix, ContractHub.class.getName(),
				List.of(JSON, MESSAGE_PACK), ackTimeout, null);
		this.manager.started().block(TIMEOUT);
		UserIdProvider userIds = (connection) -> (connection.user() != null) ? connection.user().getName() : null;
		this.handler = new HubConnectionHandler("ContractHub", new ContractHub(), HubDescriptor.of(ContractHub.class),
				List.of(JSON, MESSAGE_PACK), HubOptions.defaults(), this.manager, userIds,
				this.blocking);
	}

	RedisHubLifetimeManager manager() {
		return this.manager;
	}

	String nodeId() {
		return this.backplane.nodeId();
	}

	/** Clients as a {@code HubContext} of this node sees them. */
	LifetimeHubClients clients() {
		return new LifetimeHubClients(this.manager, "");
	}

	/** A client of this node that completed its handshake in the given protocol. */
	RecordingConnection connect(String id, @Nullable String user, HubProtocol protocol) {
		RecordingConnection connection = new RecordingConnection(id, user);
		StepVerifier.create(this.handler.onConnected(connection)).expectComplete().verify(TIMEOUT);
		receive(connection, ("{\"protocol\":\"" + protocol.name() + "\",\"version\":1}\u001e")
			.getBytes(StandardCharsets.UTF_8));
		assertThat(connection.awaitTexts(1, TIMEOUT)).containsExactly("{}\u001e");
		return connection;
	}

	RecordingConnection connect(String id, @Nullable String user) {
		return connect(id, user, JSON);
	}

	RecordingConnection connect(String id) {
		return connect(id, null, JSON);
	}

	/** Data from the client, as its transport would hand it over. */
	void receive(RecordingConnection connection, byte[] data) {
		StepVerifier.create(this.handler.onReceived(connection, data)).expectComplete().verify(TIMEOUT);
	}

	void disconnect(RecordingConnection connection) {
		StepVerifier.create(this.handler.onDisconnected(connection, null)).expectComplete().verify(TIMEOUT);
	}

	/** The hub messages a client received after its handshake, read in the protocol it speaks. */
	static List<HubMessage> messages(RecordingConnection connection, HubProtocol protocol) {
		List<HubMessage> messages = new ArrayList<>();
		List<byte[]> frames = connection.sentFrames();
		for (byte[] frame : frames.subList(1, frames.size())) {
			protocol.parseMessages(ByteBuffer.wrap(frame), Integer.MAX_VALUE, messages::add);
		}
		return messages;
	}

	@Override
	public void close() {
		this.manager.close();
		this.backplane.close();
		this.blocking.dispose();
	}

}
